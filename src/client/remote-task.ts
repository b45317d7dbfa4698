import type { CallToolResult } from "../protocol/mcp-types.js";
import type { RemoteTaskProgress } from "./task-progress.js";
import { pause, TaskWait, type TaskWaitOptions } from "./task-wait.js";

/** A task as the server reports it (`tasks/get`, `notifications/tasks/status`). */
export interface RemoteTaskState {
  taskId: string;
  status: "working" | "input_required" | "completed" | "failed" | "cancelled";
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttl: number | null;
  pollInterval?: number;
  /**
   * The task's stored numeric progress, from `tasks/get` of a server that reports it (FastestMCP
   * servers do, under the vendor `_meta` key `dev.fastestmcp/progress`); absent elsewhere.
   */
  progress?: RemoteTaskProgress;
}

/** What a {@link RemoteTask} needs from its client. */
export interface RemoteTaskClient {
  getTask(taskId: string, options?: { signal?: AbortSignal }): Promise<RemoteTaskState>;
  taskResult(taskId: string, options?: TaskWaitOptions): Promise<CallToolResult>;
  cancelTask(taskId: string): Promise<RemoteTaskState>;
  /** Calls `onActivity` on the task's progress and status notifications; returns the unsubscribe. */
  watchTask?(taskId: string, onActivity: () => void): () => void;
}

const TERMINAL = new Set(["completed", "failed", "cancelled"]);
/** Poll interval when neither the caller nor the server names one. */
const DEFAULT_POLL_MS = 1000;

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

  /**
   * The final result (`tasks/result`: the server answers once the task is terminal). A dropped
   * connection is retried; `timeout` / `maxTotalTimeout` cancel the task (`tasks/cancel`) and
   * reject with `RequestTimeoutError` (see {@link TaskWaitOptions}).
   */
  result(options?: TaskWaitOptions): Promise<CallToolResult<T>> {
    return this.#client.taskResult(this.taskId, options) as Promise<CallToolResult<T>>;
  }

  /**
   * Polls `tasks/get` until the task is terminal, then returns its result. Between polls it waits
   * the `pollInterval` the server last suggested (the caller's `pollInterval` overrides it, default
   * 1 s). `timeout` (idle: no progress, status notification or status change for that long) and
   * `maxTotalTimeout` (hard cap) cancel the task with `tasks/cancel` and reject with
   * `RequestTimeoutError`; `signal` stops waiting (the task keeps running).
   */
  async wait(options: TaskWaitOptions & { pollInterval?: number } = {}): Promise<CallToolResult<T>> {
    const wait = new TaskWait(`task ${this.taskId}`, options, () => {
      this.#client.cancelTask(this.taskId).catch(() => undefined);
    });
    const unwatch = this.#client.watchTask?.(this.taskId, () => wait.touch());
    let seen = "";
    try {
      for (;;) {
        wait.signal.throwIfAborted();
        const state = await this.#client.getTask(this.taskId, { signal: wait.signal });
        const fingerprint = `${state.status}|${state.statusMessage ?? ""}|${state.lastUpdatedAt}`;
        if (fingerprint !== seen) wait.touch();
        seen = fingerprint;
        if (TERMINAL.has(state.status)) {
          return (await this.#client.taskResult(this.taskId, { signal: wait.signal })) as CallToolResult<T>;
        }
        const suggested = state.pollInterval ?? this.created.pollInterval;
        await pause(options.pollInterval ?? suggested ?? DEFAULT_POLL_MS, wait.signal);
      }
    } catch (error) {
      throw wait.failure(error);
    } finally {
      wait.end();
      unwatch?.();
    }
  }

  /** Cancels the task (`tasks/cancel`). */
  cancel(): Promise<RemoteTaskState> {
    return this.#client.cancelTask(this.taskId);
  }
}
