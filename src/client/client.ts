import { CancelledError } from "../errors.js";
import {
  isNotification,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
  notification,
} from "../protocol/jsonrpc.js";
import type { LogLevel } from "../protocol/mcp-types.js";
import { ProtocolError } from "../protocol/protocol-error.js";
import {
  findRevision,
  findStatelessRevision,
  isStatelessVersion,
  LATEST_PROTOCOL_VERSION,
  STATELESS_REVISIONS,
} from "../protocol/revisions.js";
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
import { type DiscoveredServer, discoverServer } from "./revision/discover-probe.js";
import { fulfilInputRequired, isInputRequired } from "./revision/input-required.js";
import { ParamHeaders } from "./revision/param-headers.js";
import { StatelessEnvelope, unframed } from "./revision/stateless-envelope.js";

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
  /**
   * Connects. `protocolVersion` (default `"auto"`) picks the revision: `"auto"` asks
   * `server/discover` and speaks 2026-07-28 when the server offers it, else falls back to
   * `initialize` (2025-11-25); `"2026-07-28"` never falls back; a 2025 revision never probes.
   */
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
      await client.#open();
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  readonly transport: ClientTransport;
  /** The server's `serverInfo`, `capabilities`, `instructions` and negotiated version (from `initialize` or `server/discover`). */
  serverInfo: { name: string; version: string; title?: string } | undefined;
  serverCapabilities: Record<string, unknown> = {};
  instructions: string | undefined;
  protocolVersion: string | undefined;
  readonly #options: ClientOptions;
  readonly #pending = new PendingRequests();
  readonly #router: IncomingRouter;
  /** Set while the client speaks a stateless revision (2026-07-28): what every request carries. */
  #envelope: StatelessEnvelope | undefined;
  /** 2026-07-28's `Mcp-Param-*` headers, learned from `tools/list`. */
  readonly #paramHeaders = new ParamHeaders();
  #closed = false;
  /** Aborts at `close()`: background task polls (2026-07-28) stop. */
  readonly #closing = new AbortController();

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

  /**
   * Sends a request and resolves with its result; rejects with the server's error as a `ProtocolError`.
   * On 2026-07-28 an `input_required` answer is answered with `elicitationHandler` /
   * `samplingHandler` and the request sent again, until the server completes it.
   */
  request(
    method: string,
    params: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    const envelope = this.#envelope;
    // 2025: straight to the wire, as before the client spoke 2026-07-28.
    if (envelope === undefined) return this.#send(method, params, options);
    return this.#statelessRequest(envelope, method, params, options);
  }

  async #statelessRequest(
    envelope: StatelessEnvelope,
    method: string,
    params: Record<string, unknown>,
    options: RequestOptions,
  ): Promise<Record<string, unknown>> {
    const sent = await this.#paramHeaders.send(method, params, {
      send: (headers) => this.#send(method, envelope.wrap(method, params), options, headers),
      listTools: (cursor) =>
        this.#statelessRequest(envelope, "tools/list", cursor === undefined ? {} : { cursor }, {}),
    });
    let result = sent.result;
    const { headers } = sent;
    if (isInputRequired(result)) {
      result = await fulfilInputRequired(method, result, this.#options, (extra) =>
        this.#send(method, envelope.wrap(method, { ...params, ...extra }), options, headers),
      );
    }
    if (method === "tools/list" && Array.isArray(result.tools)) this.#paramHeaders.learn(result.tools);
    return unframed(result);
  }

  #send(
    method: string,
    params: Record<string, unknown>,
    options: RequestOptions,
    headers?: Record<string, string>,
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
        // 2026-07-28 over HTTP cancels by closing the request's connection; elsewhere, a notification.
        if (this.#envelope === undefined || this.transport.cancel?.(id) !== true) {
          this.#sendQuietly(notification("notifications/cancelled", { requestId: id, reason }));
        }
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
            // A 2025 CreateTaskResult nests the task; the 2026 tasks extension's handle is flat.
            const task =
              result.resultType === "task" ? result : (result.task as { taskId?: unknown } | undefined);
            const taskId = task?.taskId;
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
      const sending =
        headers === undefined ? this.transport.send(message) : this.transport.send(message, { headers });
      sending.catch((error: unknown) => this.#pending.take(id)?.reject(error));
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

  /** `ping`; on 2026-07-28, which has none, a `server/discover` round trip shows the server answers. */
  override async ping(options?: RequestOptions): Promise<void> {
    if (this.#envelope === undefined) return super.ping(options);
    await this.request("server/discover", {}, options);
  }

  /**
   * Sets the lowest log level the server sends (`logging/setLevel`); on 2026-07-28, which has no
   * such request, every later request names the level in its `_meta` instead.
   */
  override async setLogLevel(level: LogLevel): Promise<void> {
    if (this.#envelope === undefined) return super.setLogLevel(level);
    this.#envelope.logLevel = level;
  }

  /** A task's state as 2026-07-28 reports it: its numeric progress reaches the call's listeners. */
  protected override taskSeen(taskId: string, wire: Record<string, unknown>): void {
    this.#router.taskSeen(taskId, wire);
  }

  protected override taskFollowed(taskId: string): { until: AbortSignal } | undefined {
    if (this.#closed || this.#pending.tokenOfTask(taskId) === undefined) return undefined;
    return { until: this.#closing.signal };
  }

  /** Calls `onActivity` on the task's progress and status notifications (idle limits of task waits). */
  watchTask(taskId: string, onActivity: () => void): () => void {
    return this.#pending.watchTask(taskId, onActivity);
  }

  /** Ends the session (HTTP DELETE / child process exit); pending requests reject with `CancelledError`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    this.#pending.rejectAll(new CancelledError("The client was closed."));
    await this.transport.close();
  }

  async #open(): Promise<void> {
    await this.transport.start({
      onMessage: (message) => this.#onMessage(message),
      onClose: (error) => this.#pending.rejectAll(error ?? new ProtocolError("transport-closed")),
    });
    const wanted = this.#options.protocolVersion ?? "auto";
    if (wanted === "auto" || isStatelessVersion(wanted)) {
      const version = wanted === "auto" ? (STATELESS_REVISIONS[0]?.version as string) : wanted;
      if (findStatelessRevision(version) === undefined) {
        throw new ProtocolError("unsupported-protocol-version", `This client does not speak ${version}.`);
      }
      const server = await this.#discover(version, wanted !== "auto");
      if (server !== undefined) {
        this.protocolVersion = server.protocolVersion;
        this.serverInfo = server.serverInfo;
        this.serverCapabilities = server.capabilities;
        this.instructions = server.instructions;
        return;
      }
    }
    await this.#initialize(wanted === "auto" ? LATEST_PROTOCOL_VERSION : wanted);
  }

  /**
   * The `server/discover` probe, sent as a 2026-07-28 request: the server it describes, or
   * undefined when the server is a 2025 one (`auto` then initializes; pinned throws).
   */
  async #discover(version: string, pinned: boolean): Promise<DiscoveredServer | undefined> {
    const logLevel: LogLevel | undefined = this.#options.logHandler === undefined ? undefined : "debug";
    const clientInfo = this.#options.clientInfo ?? DEFAULT_CLIENT_INFO;
    const capabilities = declaredCapabilities(this.#options);
    const stdio = !(this.transport instanceof StreamableHttpClientTransport);
    const server = await discoverServer({ version, pinned, stdio }, (probed) => {
      const envelope = new StatelessEnvelope(probed, capabilities, clientInfo, logLevel);
      this.#envelope = envelope;
      this.transport.useStatelessRevision?.(probed);
      // Sent as is (not through `request`): the answer's `_meta` names the server.
      return this.#send("server/discover", envelope.wrap("server/discover", {}), this.#connectOptions());
    });
    if (server === undefined) {
      this.#envelope = undefined;
      this.transport.useStatelessRevision?.(undefined);
    }
    return server;
  }

  #connectOptions(): RequestOptions {
    return this.#options.timeout !== undefined ? { timeout: this.#options.timeout } : {};
  }

  async #initialize(protocolVersion: string): Promise<void> {
    const result = await this.request(
      "initialize",
      {
        protocolVersion,
        capabilities: declaredCapabilities(this.#options),
        clientInfo: this.#options.clientInfo ?? DEFAULT_CLIENT_INFO,
      },
      this.#connectOptions(),
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
