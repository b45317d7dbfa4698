import { CancelledError, ToolError } from "../errors.js";
import {
  isNotification,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
  notification,
} from "../protocol/jsonrpc.js";
import type { CallToolResult, LogLevel, ToolDefinition } from "../protocol/mcp-types.js";
import type {
  CompleteResult,
  CompletionReference,
  GetPromptResult,
  Prompt,
} from "../protocol/prompt-types.js";
import { ProtocolError, RequestTimeoutError } from "../protocol/protocol-error.js";
import type { ReadResourceResult, Resource, ResourceTemplate } from "../protocol/resource-types.js";
import { firstText } from "../protocol/result-text.js";
import { findRevision, LATEST_PROTOCOL_VERSION } from "../protocol/revisions.js";
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
import { RemoteTask, type RemoteTaskState } from "./remote-task.js";

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
export class Client {
  /** Connects and completes the initialize handshake. */
  static async connect(target: ClientTarget, options: ClientOptions = {}): Promise<Client> {
    let transport: ClientTransport;
    if (typeof target === "string" || target instanceof URL) {
      transport = new StreamableHttpClientTransport(target, options);
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
    this.transport = transport;
    this.#options = options;
    this.#router = new IncomingRouter(options, this.#pending, (message) => this.#sendQuietly(message));
  }

  /** Sends a request and resolves with its result; rejects with the server's error as a `ProtocolError`. */
  request(
    method: string,
    params: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    if (this.#closed) return Promise.reject(new CancelledError("The client is closed."));
    const id = this.#pending.nextId();
    const wantsProgress = options.onProgress !== undefined || this.#options.progressHandler !== undefined;
    const token = wantsProgress ? this.#pending.nextToken() : undefined;
    const sent =
      token === undefined
        ? params
        : { ...params, _meta: { ...(params._meta as object), progressToken: token } };
    if (token !== undefined) this.#pending.route(token, { requestId: id, onProgress: options.onProgress });
    const timeoutMs = options.timeout ?? this.#options.timeout ?? 60_000;
    const resetOnProgress = options.resetTimeoutOnProgress ?? true;
    const { signal } = options;

    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const abandon = (error: Error, reason: string): void => {
        if (this.#pending.take(id) === undefined) return;
        cleanup();
        if (token !== undefined) this.#pending.unroute(token);
        this.#sendQuietly(notification("notifications/cancelled", { requestId: id, reason }));
        reject(error);
      };
      const arm = (): void => {
        clearTimeout(timer);
        if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
          timer = setTimeout(
            () =>
              abandon(
                new RequestTimeoutError(`${method} timed out after ${timeoutMs} ms.`, timeoutMs, { method }),
                "timeout",
              ),
            timeoutMs,
          );
        }
      };
      const onAbort = (): void =>
        abandon(
          new CancelledError(`${method} was cancelled.`, { cause: signal?.reason }),
          "cancelled by the caller",
        );
      if (signal?.aborted) {
        reject(new CancelledError(`${method} was cancelled before it was sent.`, { cause: signal.reason }));
        return;
      }
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
          if (resetOnProgress) arm();
        },
      });
      arm();
      signal?.addEventListener("abort", onAbort, { once: true });
      const message: JsonRpcRequest = { jsonrpc: "2.0", id, method, params: sent };
      this.transport.send(message).catch((error: unknown) => this.#pending.take(id)?.reject(error));
    });
  }

  /** Sends a notification. */
  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    return this.transport.send(notification(method, params));
  }

  /** `ping`. */
  async ping(options?: RequestOptions): Promise<void> {
    await this.request("ping", {}, options);
  }

  /** One page of tools (`tools/list`). */
  async listTools(
    options: { cursor?: string } & RequestOptions = {},
  ): Promise<{ tools: ToolDefinition[]; nextCursor?: string }> {
    const { cursor, ...rest } = options;
    const result = await this.request("tools/list", cursor === undefined ? {} : { cursor }, rest);
    return result as unknown as { tools: ToolDefinition[]; nextCursor?: string };
  }

  /**
   * Calls a tool and returns its `CallToolResult`. Results with `isError: true` are returned
   * (the model is meant to read them) unless `throwOnError` is set; protocol errors reject.
   * `T` types `structuredContent` (e.g. `InferToolOutput<typeof Out>`), unchecked: the server validates it.
   */
  callTool<T = Record<string, unknown>>(
    name: string,
    args?: Record<string, unknown>,
    options?: CallToolRequestOptions & { task?: false },
  ): Promise<CallToolResult<T>>;
  /**
   * Calls a tool as a task: resolves with a {@link RemoteTask} as soon as the server created it.
   * `T` types the task result's `structuredContent`.
   */
  callTool<T = Record<string, unknown>>(
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallToolRequestOptions & { task: true | { ttl?: number } },
  ): Promise<RemoteTask<T>>;
  async callTool(
    name: string,
    args: Record<string, unknown> = {},
    options: CallToolRequestOptions & { task?: boolean | { ttl?: number } } = {},
  ): Promise<CallToolResult | RemoteTask> {
    const { task, throwOnError, ...requestOptions } = options;
    const params: Record<string, unknown> = { name, arguments: args };
    if (task !== undefined && task !== false) params.task = task === true ? {} : task;
    const result = await this.request("tools/call", params, requestOptions);
    if (params.task !== undefined) return new RemoteTask(this, result.task as RemoteTaskState);
    const callResult = result as unknown as CallToolResult;
    if (throwOnError === true && callResult.isError === true) {
      throw new ToolError(
        firstText(callResult) ?? "The tool reported an error.",
        callResult.structuredContent,
      );
    }
    return callResult;
  }

  /** One page of resources (`resources/list`). */
  async listResources(
    options: { cursor?: string } = {},
  ): Promise<{ resources: Resource[]; nextCursor?: string }> {
    const result = await this.request(
      "resources/list",
      options.cursor === undefined ? {} : { cursor: options.cursor },
    );
    return result as unknown as { resources: Resource[]; nextCursor?: string };
  }

  /** One page of resource templates (`resources/templates/list`). */
  async listResourceTemplates(
    options: { cursor?: string } = {},
  ): Promise<{ resourceTemplates: ResourceTemplate[]; nextCursor?: string }> {
    const params = options.cursor === undefined ? {} : { cursor: options.cursor };
    const result = await this.request("resources/templates/list", params);
    return result as unknown as { resourceTemplates: ResourceTemplate[]; nextCursor?: string };
  }

  /** A resource's contents (`resources/read`). */
  async readResource(uri: string, options?: RequestOptions): Promise<ReadResourceResult> {
    return (await this.request("resources/read", { uri }, options)) as unknown as ReadResourceResult;
  }

  /** Subscribes to a resource: `resourceUpdatedHandler` hears when it changes (`resources/subscribe`). */
  async subscribeResource(uri: string): Promise<void> {
    await this.request("resources/subscribe", { uri });
  }

  /** Ends a subscription (`resources/unsubscribe`). */
  async unsubscribeResource(uri: string): Promise<void> {
    await this.request("resources/unsubscribe", { uri });
  }

  /** One page of prompts (`prompts/list`). */
  async listPrompts(options: { cursor?: string } = {}): Promise<{ prompts: Prompt[]; nextCursor?: string }> {
    const result = await this.request(
      "prompts/list",
      options.cursor === undefined ? {} : { cursor: options.cursor },
    );
    return result as unknown as { prompts: Prompt[]; nextCursor?: string };
  }

  /** A prompt filled in with `args` (`prompts/get`). */
  async getPrompt(
    name: string,
    args: Record<string, string> = {},
    options?: RequestOptions,
  ): Promise<GetPromptResult> {
    return (await this.request(
      "prompts/get",
      { name, arguments: args },
      options,
    )) as unknown as GetPromptResult;
  }

  /**
   * Completion suggestions for a prompt argument or a resource-template variable
   * (`completion/complete`); `context` holds the values of arguments already filled in.
   */
  async complete(
    ref: CompletionReference,
    argument: { name: string; value: string },
    context?: Record<string, string>,
  ): Promise<CompleteResult> {
    const params: Record<string, unknown> = { ref, argument };
    if (context !== undefined) params.context = { arguments: context };
    return (await this.request("completion/complete", params)) as unknown as CompleteResult;
  }

  /** Sets the lowest log level the server sends (`logging/setLevel`). */
  async setLogLevel(level: LogLevel): Promise<void> {
    await this.request("logging/setLevel", { level });
  }

  /** One page of this session's tasks (`tasks/list`). */
  async listTasks(
    options: { cursor?: string } = {},
  ): Promise<{ tasks: RemoteTaskState[]; nextCursor?: string }> {
    const result = await this.request(
      "tasks/list",
      options.cursor === undefined ? {} : { cursor: options.cursor },
    );
    return result as unknown as { tasks: RemoteTaskState[]; nextCursor?: string };
  }

  /** A task's state (`tasks/get`). */
  async getTask(taskId: string): Promise<RemoteTaskState> {
    const { _meta: _ignored, ...task } = await this.request("tasks/get", { taskId });
    return task as unknown as RemoteTaskState;
  }

  /** A task's result once it is terminal (`tasks/result`; no timeout unless given); `T` as for `callTool`. */
  async taskResult<T = Record<string, unknown>>(
    taskId: string,
    options: { timeout?: number; signal?: AbortSignal } = {},
  ): Promise<CallToolResult<T>> {
    const result = await this.request(
      "tasks/result",
      { taskId },
      { timeout: options.timeout ?? 0, ...(options.signal ? { signal: options.signal } : {}) },
    );
    return result as unknown as CallToolResult<T>;
  }

  /** Cancels a task (`tasks/cancel`). */
  async cancelTask(taskId: string): Promise<RemoteTaskState> {
    const { _meta: _ignored, ...task } = await this.request("tasks/cancel", { taskId });
    return task as unknown as RemoteTaskState;
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
