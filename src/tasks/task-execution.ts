import type { ProgressSink } from "../context/progress-sink.js";
import type { CallToolResult } from "../protocol/mcp-types.js";
import type { JsonRpcErrorObject } from "../protocol/protocol-error.js";

/** What a running task gets from the runtime. */
export interface TaskExecution {
  taskId: string;
  /** Aborted by `cancel`, expiry and shutdown. */
  signal: AbortSignal;
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
}
