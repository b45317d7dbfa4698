import { ToolError } from "../errors.js";
import type { CallToolResult, LogLevel, ToolDefinition } from "../protocol/mcp-types.js";
import type {
  CompleteResult,
  CompletionReference,
  GetPromptResult,
  Prompt,
} from "../protocol/prompt-types.js";
import type { ReadResourceResult, Resource, ResourceTemplate } from "../protocol/resource-types.js";
import { firstText } from "../protocol/result-text.js";
import type { CallToolRequestOptions, RequestOptions } from "./client-options.js";
import { RemoteTask, type RemoteTaskState } from "./remote-task.js";
import { taskProgressOf } from "./task-progress.js";
import { retryOnLostConnection, TaskWait, type TaskWaitOptions } from "./task-wait.js";

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

  /**
   * A task's state (`tasks/get`), with its stored numeric `progress` when the server reports it
   * (FastestMCP servers do, under a vendor `_meta` key).
   */
  async getTask(taskId: string, options: { signal?: AbortSignal } = {}): Promise<RemoteTaskState> {
    const { _meta, ...task } = await this.request("tasks/get", { taskId }, options);
    const progress = taskProgressOf({ _meta });
    return (progress === undefined ? task : { ...task, progress }) as unknown as RemoteTaskState;
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

  /** Cancels a task (`tasks/cancel`). */
  async cancelTask(taskId: string): Promise<RemoteTaskState> {
    const { _meta: _ignored, ...task } = await this.request("tasks/cancel", { taskId });
    return task as unknown as RemoteTaskState;
  }
}
