/**
 * A 2026-07-28 server over real Streamable HTTP for `subscriptions/listen` tests: a hub that
 * reports when its last listener leaves (so a test waits for that event instead of sleeping), and
 * helpers that open a listen stream and read it with the SSE parser the client uses.
 */
import { afterEach } from "vitest";
import { FastestMCP, type HttpServerHandle } from "../../../src/fastestmcp.js";
import type { AuthInfo } from "../../../src/protocol/auth-info.js";
import type { ServerOptions } from "../../../src/server/server-options.js";
import {
  type HubListener,
  LocalSubscriptionHub,
} from "../../../src/server/subscriptions/subscription-hub.js";
import { MemoryTaskStore } from "../../../src/tasks/memory-task-store.js";
import { createDeferred, type Deferred } from "../../../src/util/deferred.js";
import { SseReader } from "../../transports/http/sse-reader.js";

export const VERSION = "2026-07-28";
export const TASKS = "io.modelcontextprotocol/tasks";
export const WITH_TASKS = { extensions: { [TASKS]: {} } };
export const SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
export const ACK = "notifications/subscriptions/acknowledged";

/** A hub that tells when its listener count drops to zero. */
export class CountingHub extends LocalSubscriptionHub {
  #empty: Deferred<void> | undefined;

  override subscribe(listener: HubListener): () => void {
    const unsubscribe = super.subscribe(listener);
    return () => {
      unsubscribe();
      if (this.listenerCount === 0) this.#empty?.resolve();
    };
  }

  /** Resolves once no listener is left (at once if none is). */
  empty(): Promise<void> {
    if (this.listenerCount === 0) return Promise.resolve();
    this.#empty = createDeferred<void>();
    return this.#empty.promise;
  }
}

const identity = (subject: string): AuthInfo => ({ subject, scopes: [], claims: {} });

/** `auth` accepting the bearer tokens "ada" and "bob" as those identities. */
export const AUTH: ServerOptions = {
  auth: {
    verifyToken: (token) => (token === "ada" || token === "bob" ? identity(token) : undefined),
    resourceMetadata: { resource: "http://localhost/mcp", authorizationServers: ["https://as.example.com"] },
  },
};

const running: { server: FastestMCP; handle: HttpServerHandle }[] = [];
afterEach(async () => {
  for (const { server, handle } of running.splice(0)) {
    await handle.close();
    await server.close();
  }
});

/** Released by a test to let the `gated` task finish. */
export interface ListenServer {
  server: FastestMCP;
  hub: CountingHub;
  url: string;
  release: Deferred<void>;
}

export async function listenServer(options: ServerOptions = {}, keepAliveMs = 0): Promise<ListenServer> {
  const hub = new CountingHub();
  const release = createDeferred<void>();
  const backend = {
    name: "test",
    taskStore: new MemoryTaskStore(),
    subscriptionHub: hub,
    close: async () => {},
  };
  const server = FastestMCP.server("listen-test", { version: "1.0.0", backend, ...options })
    .addTool("echo", ({ text }) => String(text))
    .addTool(
      "gated",
      async (_args, ctx) => {
        await ctx.reportProgress(1, 4, "one of four");
        await release.promise;
        await ctx.reportProgress(4, 4, "four of four");
        return "released";
      },
      { task: true },
    )
    .addResource("test://a", () => "a")
    .addResource("test://b", () => "b")
    .addPrompt("greet", () => "Hello");
  const handle = await server.listen({ port: 0, keepAliveMs });
  running.push({ server, handle });
  return { server, hub, url: handle.url, release };
}

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever the answer holds.
export type Message = Record<string, any>;

interface PostOptions {
  capabilities?: Record<string, unknown>;
  token?: string;
  id?: number | string;
  signal?: AbortSignal;
}

/** POSTs one 2026-07-28 request with the standard headers. */
export function post(
  url: string,
  method: string,
  params: Record<string, unknown>,
  options: PostOptions = {},
): Promise<Response> {
  return fetch(request(url, method, params, options));
}

/** The same request, for a front that takes a `Request` (`server.fetch`). */
export function request(
  url: string,
  method: string,
  params: Record<string, unknown>,
  options: PostOptions = {},
): Request {
  const name =
    method === "tools/call" ? params.name : method.startsWith("tasks/") ? params.taskId : undefined;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": VERSION,
    "mcp-method": method,
  };
  if (typeof name === "string") headers["mcp-name"] = name;
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const _meta = {
    "io.modelcontextprotocol/protocolVersion": VERSION,
    "io.modelcontextprotocol/clientCapabilities": options.capabilities ?? {},
  };
  return new Request(url, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: options.id ?? 1, method, params: { ...params, _meta } }),
    signal: options.signal,
  });
}

/** A JSON answer's body. */
export async function answer(response: Response): Promise<Message> {
  return (await response.json()) as Message;
}

/** An open listen stream: its messages as they arrive, and a way to wait for more. */
export class Listener {
  readonly #reader: SseReader;
  readonly response: Response;

  constructor(response: Response) {
    this.response = response;
    this.#reader = new SseReader(response);
  }

  messages(): Message[] {
    return this.#reader.messages();
  }

  /** Reads until `predicate` holds for the messages so far (or the stream ends); returns them. */
  async until(predicate: (messages: Message[]) => boolean): Promise<Message[]> {
    await this.#reader.until(() => predicate(this.#reader.messages()));
    return this.#reader.messages();
  }

  /** Reads until a message with `method` arrived; returns it. */
  async next(method: string, match: (message: Message) => boolean = () => true): Promise<Message> {
    const found = (messages: Message[]) => messages.find((m) => m.method === method && match(m));
    return found(await this.until((messages) => found(messages) !== undefined)) as Message;
  }

  /** Reads to the end of the stream. */
  async all(): Promise<Message[]> {
    await this.#reader.all();
    return this.#reader.messages();
  }

  get done(): boolean {
    return this.#reader.done;
  }

  /** Closes the stream, as a client leaving does. */
  close(): Promise<void> {
    return this.#reader.cancel();
  }
}

/** Opens a listen stream with `notifications` as the filter; resolves once its headers are in. */
export async function listen(
  url: string,
  notifications: Record<string, unknown>,
  options: PostOptions = {},
): Promise<Listener> {
  const response = await post(url, "subscriptions/listen", { notifications }, { id: "listen-1", ...options });
  return new Listener(response);
}
