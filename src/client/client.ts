import { CancelledError } from "../errors.js";
import {
  isNotification,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
  notification,
} from "../protocol/jsonrpc.js";
import { ProtocolError } from "../protocol/protocol-error.js";
import { findRevision, LATEST_PROTOCOL_VERSION } from "../protocol/revisions.js";
import { McpCalls } from "./client-calls.js";
import type {
  CallToolRequestOptions,
  ClientOptions,
  ClientTarget,
  LogMessage,
  RequestOptions,
} from "./client-options.js";
import type { ClientTransport } from "./client-transport.js";
import { StreamableHttpClientTransport } from "./http-client-transport.js";
import { declaredCapabilities, IncomingRouter } from "./incoming-router.js";
import { PendingRequests } from "./pending-requests.js";
import { type DeadlineLimits, RequestDeadline } from "./request-deadline.js";

export type { CallToolRequestOptions, ClientOptions, ClientTarget, LogMessage, RequestOptions };

const DEFAULT_CLIENT_INFO = { name: "fastestmcp-client", version: "0.1.0" };

function isTransport(target: ClientTarget): target is ClientTransport {
  return typeof target === "object" && "send" in target && "start" in target;
}

/**
 * An MCP client: connects over Streamable HTTP or stdio, routes progress to the right call (and
 * to `progressHandler`), and drives remote tasks. Runtime-neutral on HTTP (only `fetch`).
 *
 * ```ts
 * const client = await Client.connect("http://127.0.0.1:4100/mcp", { progressHandler: console.log });
 * const result = await client.callTool("track", {});
 * ```
 */
export class Client extends McpCalls {
  /** Connects and completes the initialize handshake. */
  static async connect(target: ClientTarget, options: ClientOptions = {}): Promise<Client> {
    let transport: ClientTransport;
    if (typeof target === "string" || target instanceof URL) {
      let fetchFn = options.fetch;
      if (options.auth !== undefined) {
        // Loaded only for a client with OAuth, so one without never pays for it.
        const { authorizedFetch } = await import("./auth/auth-fetch.js");
        fetchFn = authorizedFetch(options.auth, new URL(target), options.fetch ?? fetch);
      }
      transport = new StreamableHttpClientTransport(target, { ...options, fetch: fetchFn });
    } else if (isTransport(target)) {
      transport = target;
    } else {
      const { StdioClientTransport } = await import("./stdio-client-transport.js");
      transport = new StdioClientTransport(target);
    }
    const client = new Client(transport, options);
    try {
      await client.#initialize();
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  readonly transport: ClientTransport;
  /** The server's `serverInfo`, `capabilities`, `instructions` and negotiated version. */
  serverInfo: { name: string; version: string; title?: string } | undefined;
  serverCapabilities: Record<string, unknown> = {};
  instructions: string | undefined;
  protocolVersion: string | undefined;
  readonly #options: ClientOptions;
  readonly #pending = new PendingRequests();
  readonly #router: IncomingRouter;
  #closed = false;

  private constructor(transport: ClientTransport, options: ClientOptions) {
    super();
    this.transport = transport;
    this.#options = options;
    this.#router = new IncomingRouter(options, this.#pending, (message) => this.#sendQuietly(message));
  }

  /**
   * The session id the server assigned (Streamable HTTP's `Mcp-Session-Id`); `undefined` on stdio,
   * on a stateless revision and before `connect` resolved. Without auth, a server owns the tasks a
   * session starts by this id (docs/tasks.md): pass it as `owner` to read them in-process.
   */
  get sessionId(): string | undefined {
    return this.transport.sessionId;
  }

  /** Sends a request and resolves with its result; rejects with the server's error as a `ProtocolError`. */
  request(
    method: string,
    params: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    if (this.#closed) return Promise.reject(new CancelledError("The client is closed."));
    const id = this.#pending.nextId();
    // Progress is asked for on every call by default, so progress keeps `timeout` alive even
    // without a handler (hosts used to add a no-op one just to get a token sent).
    const wantsProgress =
      options.onProgress !== undefined ||
      this.#options.progressHandler !== undefined ||
      this.#options.requestProgress !== false;
    const token = wantsProgress ? this.#pending.nextToken() : undefined;
    const sent =
      token === undefined
        ? params
        : { ...params, _meta: { ...(params._meta as object), progressToken: token } };
    if (token !== undefined) this.#pending.route(token, { requestId: id, onProgress: options.onProgress });
    const resetOnProgress = options.resetTimeoutOnProgress ?? true;
    const { signal } = options;

    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        if (token !== undefined) this.#pending.unroute(token);
        reject(new CancelledError(`${method} was cancelled before it was sent.`, { cause: signal.reason }));
        return;
      }
      const cleanup = (): void => {
        deadline.clear();
        signal?.removeEventListener("abort", onAbort);
      };
      const abandon = (error: Error, reason: string): void => {
        if (this.#pending.take(id) === undefined) return;
        cleanup();
        if (token !== undefined) this.#pending.unroute(token);
        this.#sendQuietly(notification("notifications/cancelled", { requestId: id, reason }));
        reject(error);
      };
      const deadline = new RequestDeadline(method, this.#limits(options), (error) =>
        abandon(error, error.message),
      );
      const onAbort = (): void =>
        abandon(
          new CancelledError(`${method} was cancelled.`, { cause: signal?.reason }),
          "cancelled by the caller",
        );
      this.#pending.add(id, {
        method,
        resolve: (result) => {
          cleanup();
          if (token !== undefined) {
            const taskId = (result.task as { taskId?: unknown } | undefined)?.taskId;
            const route = this.#pending.routeOf(token);
            // A task keeps its token: progress continues until the task is terminal.
            if (typeof taskId === "string" && route !== undefined) route.taskId = taskId;
            else this.#pending.unroute(token);
          }
          resolve(result);
        },
        reject: (error) => {
          cleanup();
          if (token !== undefined) this.#pending.unroute(token);
          reject(error);
        },
        touch: () => {
          if (resetOnProgress) deadline.touch();
        },
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      const message: JsonRpcRequest = { jsonrpc: "2.0", id, method, params: sent };
      this.transport.send(message).catch((error: unknown) => this.#pending.take(id)?.reject(error));
    });
  }

  /** A call's limits: its own options, else the client's (idle `timeout` defaults to 60 s). */
  #limits(options: RequestOptions): DeadlineLimits {
    return {
      timeout: options.timeout ?? this.#options.timeout ?? 60_000,
      maxTotalTimeout: options.maxTotalTimeout ?? this.#options.maxTotalTimeout,
    };
  }

  /** Sends a notification. */
  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    return this.transport.send(notification(method, params));
  }

  /** Calls `onActivity` on the task's progress and status notifications (idle limits of task waits). */
  watchTask(taskId: string, onActivity: () => void): () => void {
    return this.#pending.watchTask(taskId, onActivity);
  }

  /** Ends the session (HTTP DELETE / child process exit); pending requests reject with `CancelledError`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending.rejectAll(new CancelledError("The client was closed."));
    await this.transport.close();
  }

  async #initialize(): Promise<void> {
    await this.transport.start({
      onMessage: (message) => this.#onMessage(message),
      onClose: (error) => this.#pending.rejectAll(error ?? new ProtocolError("transport-closed")),
    });
    const result = await this.request(
      "initialize",
      {
        protocolVersion: this.#options.protocolVersion ?? LATEST_PROTOCOL_VERSION,
        capabilities: declaredCapabilities(this.#options),
        clientInfo: this.#options.clientInfo ?? DEFAULT_CLIENT_INFO,
      },
      { ...(this.#options.timeout !== undefined ? { timeout: this.#options.timeout } : {}) },
    );
    const version = result.protocolVersion;
    if (typeof version !== "string" || findRevision(version) === undefined) {
      throw new ProtocolError(
        "unsupported-protocol-version",
        `The server chose protocol version ${String(version)}, which this client does not speak.`,
      );
    }
    this.protocolVersion = version;
    this.serverInfo = result.serverInfo as Client["serverInfo"];
    this.serverCapabilities = (result.capabilities as Record<string, unknown> | undefined) ?? {};
    this.instructions = typeof result.instructions === "string" ? result.instructions : undefined;
    await this.notify("notifications/initialized");
    await this.transport.initialized?.(version);
  }

  #onMessage(message: JsonRpcMessage): void {
    if (isResponse(message)) {
      if (message.id === null) return;
      const pending = this.#pending.take(message.id);
      if (pending === undefined) return;
      if ("error" in message) pending.reject(ProtocolError.fromJSON(message.error));
      else pending.resolve(message.result);
      return;
    }
    if (isNotification(message)) {
      this.#router.notification(message);
      return;
    }
    this.#router.serverRequest(message as JsonRpcRequest);
  }

  #sendQuietly(message: JsonRpcMessage): void {
    this.transport.send(message).catch(() => undefined);
  }
}
