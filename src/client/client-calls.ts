import { ToolError } from "../errors.js";
import type { CallToolResult, LogLevel, ToolDefinition } from "../protocol/mcp-types.js";
import type {
  CompleteResult,
  CompletionReference,
  GetPromptResult,
  Prompt,
} from "../protocol/prompt-types.js";
import { ProtocolError } from "../protocol/protocol-error.js";
import type { ReadResourceResult, Resource, ResourceTemplate } from "../protocol/resource-types.js";
import { firstText } from "../protocol/result-text.js";
import { isStatelessVersion } from "../protocol/revisions.js";
import type { CallToolRequestOptions, RequestOptions } from "./client-options.js";
import { RemoteTask, type RemoteTaskState } from "./remote-task.js";
import { taskStateOf, terminalResultOf } from "./revision/stateless-tasks.js";
import { taskProgressOf } from "./task-progress.js";
import { pause, retryOnLostConnection, TaskWait, type TaskWaitOptions } from "./task-wait.js";

/** Poll interval of a 2026-07-28 task wait when neither the caller nor the server names one. */
const DEFAULT_POLL_MS = 1000;
const TERMINAL: ReadonlySet<string> = new Set(["completed", "failed", "cancelled"]);

/**
 * The typed MCP requests of a {@link Client} (tools, resources, prompts, completion, logging,
 * tasks), on top of its generic `request`: one method per MCP request, so `client.ts` holds only
 * the connection and the request bookkeeping.
 */
export abstract class McpCalls {
  /** Sends a request and resolves with its result (see `Client.request`). */
  abstract request(
    method: string,
    params?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<Record<string, unknown>>;

  /** Calls `onActivity` on the task's progress and status notifications. */
  abstract watchTask(taskId: string, onActivity: () => void): () => void;

  /** The revision the client speaks (set once connected). */
  abstract protocolVersion: string | undefined;

  /** A task's state as 2026-07-28 reports it (handle or `tasks/get`), for its progress. */
  protected taskSeen(_taskId: string, _wire: Record<string, unknown>): void {}

  /**
   * Whether someone listens to a task's progress or status (its call's progress route is open):
   * on 2026-07-28 the client then polls it in the background, as 2025-11-25 pushes them. Aborted
   * `until`: the client closed.
   */
  protected taskFollowed(_taskId: string): { until: AbortSignal } | undefined {
    return undefined;
  }

  /** Whether the client speaks a stateless revision (2026-07-28): tasks are the tasks extension. */
  get #stateless(): boolean {
    return this.protocolVersion !== undefined && isStatelessVersion(this.protocolVersion);
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
    if (params.task !== undefined) return this.#remoteTask(name, result);
    const callResult = result as unknown as CallToolResult;
    if (throwOnError === true && callResult.isError === true) {
      throw new ToolError(
        firstText(callResult) ?? "The tool reported an error.",
        callResult.structuredContent,
      );
    }
    return callResult;
  }

  /**
   * The {@link RemoteTask} of a `tools/call` that asked for a task: 2025's `CreateTaskResult`, or
   * the tasks extension's flat handle (`resultType: "task"`). A 2026-07-28 server runs a tool
   * without task support to its result instead, which is refused here as 2025 refuses the call.
   */
  #remoteTask(name: string, result: Record<string, unknown>): RemoteTask {
    if (result.resultType === "task") {
      const state = taskStateOf(result);
      this.taskSeen(state.taskId, result);
      this.#follow(state.taskId, state.pollInterval ?? DEFAULT_POLL_MS);
      return new RemoteTask(this, state);
    }
    if (this.#stateless) {
      throw new ProtocolError(
        "task-not-supported",
        `Tool ${JSON.stringify(name)} does not run as a task: the server ran it to its result (in data.result).`,
        { result },
      );
    }
    return new RemoteTask(this, result.task as RemoteTaskState);
  }

  /**
   * 2026-07-28 pushes nothing about a task once its handle is out: while its progress route is
   * open (a listener, the default `requestProgress`), polls `tasks/get` at the server's
   * `pollIntervalMs` so progress and status changes reach `onProgress`, `progressHandler` and
   * `taskStatusHandler` as 2025-11-25's notifications would. Ends at a terminal state (which
   * closes the route), a failed poll, or `close()`.
   */
  #follow(taskId: string, interval: number): void {
    const followed = this.taskFollowed(taskId);
    if (followed === undefined) return;
    const { until } = followed;
    void (async () => {
      let wait = interval;
      for (;;) {
        await pause(wait, until);
        if (until.aborted || this.taskFollowed(taskId) === undefined) return;
        const wire = await this.#detailedTask(taskId).catch(() => undefined);
        if (wire === undefined) return;
        if (typeof wire.pollIntervalMs === "number") wait = wire.pollIntervalMs;
      }
    })();
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

  /**
   * A task's state (`tasks/get`), with its stored numeric `progress` when the server reports it
   * (FastestMCP servers do, under a vendor `_meta` key).
   */
  async getTask(taskId: string, options: { signal?: AbortSignal } = {}): Promise<RemoteTaskState> {
    if (this.#stateless) return taskStateOf(await this.#detailedTask(taskId, options.signal));
    const { _meta, ...task } = await this.request("tasks/get", { taskId }, options);
    const progress = taskProgressOf({ _meta });
    return (progress === undefined ? task : { ...task, progress }) as unknown as RemoteTaskState;
  }

  /** 2026-07-28's `tasks/get`: the task with its result or error inline; its progress is reported. */
  async #detailedTask(taskId: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const wire = await this.request("tasks/get", { taskId }, signal === undefined ? {} : { signal });
    this.taskSeen(taskId, wire);
    return wire;
  }

  /**
   * A task's result once it is terminal (`tasks/result`); `T` as for `callTool`. The request
   * blocks until the task ends, so it has no idle timeout of its own: a connection that breaks
   * under it is retried, and `timeout` (no progress or status notification of the task for that
   * long) and `maxTotalTimeout` cancel the task (`tasks/cancel`) and reject with `RequestTimeoutError`.
   */
  async taskResult<T = Record<string, unknown>>(
    taskId: string,
    options: TaskWaitOptions = {},
  ): Promise<CallToolResult<T>> {
    const wait = new TaskWait("tasks/result", options, () => {
      this.cancelTask(taskId).catch(() => undefined);
    });
    const unwatch = this.watchTask(taskId, () => wait.touch());
    try {
      if (this.#stateless) return (await this.#pollResult(taskId, wait.signal)) as CallToolResult<T>;
      const result = await retryOnLostConnection(
        () => this.request("tasks/result", { taskId }, { timeout: 0, signal: wait.signal }),
        wait.signal,
      );
      return result as unknown as CallToolResult<T>;
    } catch (error) {
      throw wait.failure(error);
    } finally {
      wait.end();
      unwatch();
    }
  }

  /**
   * 2026-07-28 has no `tasks/result`: polls `tasks/get` (at the `pollIntervalMs` the server last
   * suggested) until the task is terminal, and reads the result or error it carries inline.
   */
  async #pollResult(taskId: string, signal: AbortSignal): Promise<CallToolResult> {
    for (;;) {
      signal.throwIfAborted();
      const wire = await retryOnLostConnection(() => this.#detailedTask(taskId, signal), signal);
      if (TERMINAL.has(wire.status as string)) return terminalResultOf(wire);
      const interval = typeof wire.pollIntervalMs === "number" ? wire.pollIntervalMs : DEFAULT_POLL_MS;
      await pause(interval, signal);
    }
  }

  /** Cancels a task (`tasks/cancel`; on 2026-07-28, which acknowledges with nothing, then `tasks/get`). */
  async cancelTask(taskId: string): Promise<RemoteTaskState> {
    if (this.#stateless) {
      await this.request("tasks/cancel", { taskId });
      return this.getTask(taskId);
    }
    const { _meta: _ignored, ...task } = await this.request("tasks/cancel", { taskId });
    return task as unknown as RemoteTaskState;
  }
}
