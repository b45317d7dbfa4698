import type { CallToolResult } from "../protocol/mcp-types.js";

/** A task as the server reports it (`tasks/get`, `notifications/tasks/status`). */
export interface RemoteTaskState {
  taskId: string;
  status: "working" | "input_required" | "completed" | "failed" | "cancelled";
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttl: number | null;
  pollInterval?: number;
}

/** What a {@link RemoteTask} needs from its client. */
export interface RemoteTaskClient {
  getTask(taskId: string): Promise<RemoteTaskState>;
  taskResult(taskId: string, options?: { timeout?: number; signal?: AbortSignal }): Promise<CallToolResult>;
  cancelTask(taskId: string): Promise<RemoteTaskState>;
}

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

/**
 * A tool call running as a task on the server. Progress keeps arriving at the call's
 * `onProgress` and the client's `progressHandler` until the task is terminal. `T` types the
 * result's `structuredContent`, as `client.callTool<T>()` does (unchecked: the server validates it).
 */
export class RemoteTask<T = Record<string, unknown>> {
  readonly taskId: string;
  /** The task as `CreateTaskResult` described it. */
  readonly created: RemoteTaskState;
  readonly #client: RemoteTaskClient;

  constructor(client: RemoteTaskClient, created: RemoteTaskState) {
    this.#client = client;
    this.created = created;
    this.taskId = created.taskId;
  }

  /** The current state (`tasks/get`). */
  status(): Promise<RemoteTaskState> {
    return this.#client.getTask(this.taskId);
  }

  /** The final result (`tasks/result`: the server answers once the task is terminal). */
  result(options?: { timeout?: number; signal?: AbortSignal }): Promise<CallToolResult<T>> {
    return this.#client.taskResult(this.taskId, options) as Promise<CallToolResult<T>>;
  }

  /**
   * Polls `tasks/get` (every `pollInterval` ms, default the server's suggestion) until the task
   * is terminal, then returns its result.
   */
  async wait(options: { pollInterval?: number; signal?: AbortSignal } = {}): Promise<CallToolResult<T>> {
    for (;;) {
      options.signal?.throwIfAborted();
      const state = await this.status();
      if (TERMINAL.has(state.status)) return this.result(options.signal ? { signal: options.signal } : {});
      const delay = options.pollInterval ?? state.pollInterval ?? this.created.pollInterval ?? 1000;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** Cancels the task (`tasks/cancel`). */
  cancel(): Promise<RemoteTaskState> {
    return this.#client.cancelTask(this.taskId);
  }
}
