import { Context } from "../../context/context.js";
import type { CallToolResult } from "../../protocol/mcp-types.js";
import { isProtocolError, ProtocolError, toJsonRpcError } from "../../protocol/protocol-error.js";
import type { TaskRecord } from "../../tasks/task-record.js";
import type { TaskRunOutcome } from "../../tasks/task-runtime.js";
import type { RequestScope } from "../dispatch/request-scope.js";
import { queuedJob } from "../tasks/queued-job.js";
import type { RegisteredTool } from "./tool-registry.js";
import { settleToolResult } from "./tool-result.js";
import { runTool, type ToolOutcome } from "./tool-runner.js";

/** Per-call task parameters (`params.task` on the wire). */
export interface TaskRequest {
  /** Requested time-to-live in milliseconds (the server may cap it). */
  ttl?: number | null;
}

/**
 * Starts `tool` as a background task for the request `scope` (its arguments are the request's,
 * or what the tool's `task.prepare`, run first in the request, returns):
 * the handler runs with a scope of the task's own, whose progress goes to the task record as
 * well, and the outcome is settled exactly as `tools/call` would settle it, so `tasks/result`
 * returns what the call would have. The handler's own value (or error) is kept for in-process
 * `awaitTask`; a wire request's is not (`tasks/result` answers from the stored result, and
 * keeping it too would pin a second copy of every result until the task expires).
 */
export function startToolTask(
  scope: RequestScope,
  tool: RegisteredTool,
  request: TaskRequest,
): Promise<TaskRecord> {
  const { prepare } = tool.task;
  if (prepare === undefined) return startPrepared(scope, tool, request, undefined);
  // Asked in the call, before the task exists: the call's own client requests (or, on a
  // stateless revision, its input_required rounds) serve the asks.
  const args = (scope.params.arguments ?? {}) as Record<string, unknown>;
  return Promise.resolve(prepare(args, new Context(scope))).then((prepared) =>
    startPrepared(scope, tool, request, prepared),
  );
}

function startPrepared(
  scope: RequestScope,
  tool: RegisteredTool,
  request: TaskRequest,
  args: Record<string, unknown> | undefined,
): Promise<TaskRecord> {
  const runtime = scope.core.taskRuntime();
  const settle = taskOutcome(tool, scope.core.maskErrorDetails, scope.local !== undefined);
  // The request is answered as soon as the task starts: once the task has its own scope, the
  // closure lets go of the request's (and of the answer it holds) for the rest of the run.
  let parent: RequestScope | undefined = scope;
  return runtime.start({
    owner: scope.owner,
    toolName: tool.name,
    ttl: request.ttl,
    toolTtl: tool.task.ttl,
    pollInterval: tool.task.pollInterval,
    // With a job queue, a worker runs it (docs/queue.md): execute is not called then.
    job: runtime.queue === undefined ? undefined : queuedJob(scope, tool, args),
    // Not async (as #run in the runtime): a reaction on the run costs less than a suspended frame.
    execute: ({ taskId, cancellation, progressSink }): Promise<TaskRunOutcome> => {
      const own = (parent as RequestScope).forTask(taskId, cancellation, progressSink, args);
      parent = undefined;
      // Shaped as it ends: no promise per running task between the handler's and the runtime's.
      const outcome = runTool(own, tool, settle);
      return outcome instanceof Promise ? outcome : Promise.resolve(outcome);
    },
  });
}

/**
 * What a task stores of a tool's outcome: the `tools/call` result as the call would be answered
 * (or its JSON-RPC error), and with `keepLocal` the handler's own value or error for in-process
 * `awaitTask`. Never throws.
 */
export function taskOutcome(
  tool: RegisteredTool,
  maskErrorDetails: boolean,
  keepLocal: boolean,
): (outcome: ToolOutcome) => TaskRunOutcome {
  return (outcome) => {
    const local: TaskRunOutcome["local"] = !keepLocal
      ? undefined
      : outcome.ok
        ? { ok: true, value: outcome.value }
        : { ok: false, error: outcome.error };
    try {
      return { local, result: settleToolResult(tool.name, outcome, maskErrorDetails) };
    } catch (error) {
      return { local, error: toJsonRpcError(error) };
    }
  };
}

/** The stored result of a terminal task, or its error rethrown (the original one when given). */
export function storedResult(record: TaskRecord, original?: unknown): CallToolResult {
  if (record.result !== undefined) return record.result;
  if (isProtocolError(original)) throw original;
  throw ProtocolError.fromJSON(
    record.error ?? { code: -32603, message: `Task ${record.taskId} ended without a result.` },
  );
}

/** The value a terminal task produced, as far as the stored record tells (for tasks run elsewhere). */
export function storedValue(record: TaskRecord): unknown {
  const result = storedResult(record);
  return result.structuredContent ?? result;
}
