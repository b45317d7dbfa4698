import { getBuiltinModule } from "../../util/node-builtin.js";
import type { OAuthClientInformation } from "./oauth-types.js";
import type { StoredTokens, TokenStorage } from "./token-storage.js";

/** The file's content: one JSON document for every server and authorization server. */
interface TokenFile {
  tokens: Record<string, StoredTokens>;
  clients: Record<string, OAuthClientInformation>;
}

/**
 * Keeps tokens and client registrations in one JSON file (mode 0600), for a CLI or a desktop
 * host that should not ask the user to sign in at every start. Node, Bun and Deno only (it uses
 * `node:fs` through `process.getBuiltinModule`). Every change rewrites the file through a
 * temporary file and a rename, so a crash never leaves half a file; changes from this process are
 * applied one after another.
 *
 * ```ts
 * const client = await Client.connect(url, { auth: { ...provider, storage: new FileTokenStorage(path) } });
 * ```
 */
export class FileTokenStorage implements TokenStorage {
  readonly path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    if (getBuiltinModule === undefined) {
      throw new Error(
        "FileTokenStorage needs node:fs (Node, Bun or Deno); use MemoryTokenStorage elsewhere.",
      );
    }
    this.path = path;
  }

  async getTokens(serverUrl: string): Promise<StoredTokens | undefined> {
    return (await this.#read()).tokens[serverUrl];
  }

  setTokens(serverUrl: string, tokens: StoredTokens): Promise<void> {
    return this.#update((file) => {
      file.tokens[serverUrl] = tokens;
    });
  }

  deleteTokens(serverUrl: string): Promise<void> {
    return this.#update((file) => {
      delete file.tokens[serverUrl];
    });
  }

  async getClient(issuer: string): Promise<OAuthClientInformation | undefined> {
    return (await this.#read()).clients[issuer];
  }

  setClient(issuer: string, client: OAuthClientInformation): Promise<void> {
    return this.#update((file) => {
      file.clients[issuer] = client;
    });
  }

  #fs() {
    return (getBuiltinModule as NonNullable<typeof getBuiltinModule>)("node:fs").promises;
  }

  async #read(): Promise<TokenFile> {
    let text: string;
    try {
      text = await this.#fs().readFile(this.path, "utf8");
    } catch (error) {
      if ((error as { code?: string }).code === "ENOENT") return { tokens: {}, clients: {} };
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<TokenFile>;
    return { tokens: parsed.tokens ?? {}, clients: parsed.clients ?? {} };
  }

  #update(change: (file: TokenFile) => void): Promise<void> {
    const run = async (): Promise<void> => {
      const file = await this.#read();
      change(file);
      const fs = this.#fs();
      const temporary = `${this.path}.${globalThis.crypto.randomUUID()}.tmp`;
      await fs.writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
      await fs.rename(temporary, this.path);
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
