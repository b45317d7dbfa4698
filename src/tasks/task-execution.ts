import type { Cancellation } from "../context/cancellation.js";
import type { ProgressSink } from "../context/progress-sink.js";
import type { CallToolResult } from "../protocol/mcp-types.js";
import type { JsonRpcErrorObject } from "../protocol/protocol-error.js";
import type { TaskJob } from "./task-queue.js";

/** What a running task gets from the runtime. */
export interface TaskExecution {
  taskId: string;
  /** Aborted by `cancel`, expiry and shutdown. Built on first read. */
  readonly signal: AbortSignal;
  /**
   * The same abort, listened to without building {@link signal}: an AbortSignal with a listener
   * costs ~1 KB (its EventTarget, listener maps and a hidden class of its own) for as long as the
   * runtime keeps the task, finished ones included.
   */
  readonly cancellation: Cancellation;
  /** Persists progress on the task record (and announces it). */
  progressSink: ProgressSink;
}

/** How the work ended, in-process and as stored. */
export interface TaskRunOutcome {
  /**
   * The handler's own value or thrown error, for in-process `awaitTask`; kept as long as the
   * record. Omit it when no in-process caller will ask (the wire answers from the stored record):
   * `awaitTask` then falls back to the stored result, and the value is not retained.
   */
  local?: { ok: true; value: unknown } | { ok: false; error: unknown } | undefined;
  /** The `tools/call` result to store (also for `isError` results). */
  result?: CallToolResult;
  /** The JSON-RPC error to store when the call produced no result. */
  error?: JsonRpcErrorObject;
}

/** A request to start a task. */
export interface StartTaskRequest {
  owner: string;
  toolName: string;
  /** The caller's requested TTL (ms, or null for unlimited). */
  ttl?: number | null | undefined;
  /** The tool's default TTL. */
  toolTtl?: number | null | undefined;
  pollInterval?: number | undefined;
  execute(execution: TaskExecution): Promise<TaskRunOutcome>;
  /**
   * With a queue (a backend's), the job to enqueue instead of running `execute` here: asked
   * once the record exists, just before the job is enqueued; the rest of the {@link TaskJob} is
   * the record's.
   */
  job?: ((taskId: string) => Omit<TaskJob, "taskId" | "owner" | "toolName">) | undefined;
}

/**
 * @internal The {@link TaskExecution} the runtime hands the work. A class, not an object literal:
 * a literal with a getter is a dictionary-mode object plus a closure, ~500 bytes per running task.
 */
export class RunningTask implements TaskExecution {
  readonly taskId: string;
  readonly cancellation: Cancellation;
  readonly progressSink: ProgressSink;

  constructor(taskId: string, cancellation: Cancellation, progressSink: ProgressSink) {
    this.taskId = taskId;
    this.cancellation = cancellation;
    this.progressSink = progressSink;
  }

  get signal(): AbortSignal {
    return this.cancellation.signal;
  }
}
