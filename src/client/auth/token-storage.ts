import type { OAuthClientInformation, OAuthTokens } from "./oauth-types.js";

/** The tokens of one MCP server, with the authorization server that issued them. */
export interface StoredTokens {
  /** The issuer of the authorization server that issued the tokens (it refreshes them). */
  issuer: string;
  /** The `resource` (RFC 8707) the tokens were asked for, when there was one. */
  resource?: string;
  tokens: OAuthTokens;
}

/**
 * Where the client keeps what outlives one connection: the tokens of each MCP server (keyed by
 * its URL) and the client registration at each authorization server (keyed by issuer), so a host
 * that restarts neither signs the user in again nor registers again. Values are JSON documents;
 * methods may be sync or async. Tokens are secrets: keep the store private to the user.
 */
export interface TokenStorage {
  getTokens(serverUrl: string): StoredTokens | undefined | Promise<StoredTokens | undefined>;
  setTokens(serverUrl: string, tokens: StoredTokens): void | Promise<void>;
  /** Forgets the tokens of a server (after the authorization server refused them). */
  deleteTokens(serverUrl: string): void | Promise<void>;
  getClient(issuer: string): OAuthClientInformation | undefined | Promise<OAuthClientInformation | undefined>;
  setClient(issuer: string, client: OAuthClientInformation): void | Promise<void>;
}

/** Keeps everything in this process only: the default, gone when the process ends. */
export class MemoryTokenStorage implements TokenStorage {
  readonly #tokens = new Map<string, StoredTokens>();
  readonly #clients = new Map<string, OAuthClientInformation>();

  getTokens(serverUrl: string): StoredTokens | undefined {
    return this.#tokens.get(serverUrl);
  }

  setTokens(serverUrl: string, tokens: StoredTokens): void {
    this.#tokens.set(serverUrl, tokens);
  }

  deleteTokens(serverUrl: string): void {
    this.#tokens.delete(serverUrl);
  }

  getClient(issuer: string): OAuthClientInformation | undefined {
    return this.#clients.get(issuer);
  }

  setClient(issuer: string, client: OAuthClientInformation): void {
    this.#clients.set(issuer, client);
  }
}
