import { isObject } from "../../protocol/is-object.js";
import type { CallToolResult } from "../../protocol/mcp-types.js";
import { type JsonRpcErrorObject, ProtocolError } from "../../protocol/protocol-error.js";
import type { RemoteTaskState } from "../remote-task.js";
import { taskProgressOf } from "../task-progress.js";

/**
 * A task as the tasks extension (2026-07-28) reports it, read into the {@link RemoteTaskState}
 * a 2025-11-25 server sends, so `RemoteTask` works the same on both: `ttlMs`/`pollIntervalMs`
 * become `ttl`/`pollInterval`, and the wire's own fields (`resultType`, `_meta`, the inline
 * `result`/`error`) stay out of it; the vendor progress becomes `progress`.
 */
export function taskStateOf(wire: Record<string, unknown>): RemoteTaskState {
  const state: RemoteTaskState = {
    taskId: wire.taskId as string,
    status: wire.status as RemoteTaskState["status"],
    createdAt: wire.createdAt as string,
    lastUpdatedAt: wire.lastUpdatedAt as string,
    ttl: typeof wire.ttlMs === "number" ? wire.ttlMs : null,
  };
  if (typeof wire.statusMessage === "string") state.statusMessage = wire.statusMessage;
  if (typeof wire.pollIntervalMs === "number") state.pollInterval = wire.pollIntervalMs;
  const progress = taskProgressOf(wire);
  if (progress !== undefined) state.progress = progress;
  return state;
}

/**
 * What a terminal `tasks/get` (a `DetailedTask`) holds, as `tasks/result` gives it on 2025-11-25:
 * the tool's result when `completed` (an `isError` one included), the JSON-RPC error when `failed`,
 * and `task-cancelled` for a cancelled task (it has no result).
 * @throws {ProtocolError} the task's error, or `task-cancelled`.
 */
export function terminalResultOf(wire: Record<string, unknown>): CallToolResult {
  if (wire.status === "completed" && isObject(wire.result)) return wire.result as unknown as CallToolResult;
  if (wire.status === "failed" && isObject(wire.error)) {
    throw ProtocolError.fromJSON(wire.error as unknown as JsonRpcErrorObject);
  }
  const taskId = String(wire.taskId);
  throw new ProtocolError(
    "task-cancelled",
    `Task ${taskId} was ${String(wire.status)}, so it has no result.`,
    {
      taskId,
    },
  );
}
