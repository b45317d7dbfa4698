import type { ClientRequests } from "../context/client-requests.js";
import { combineProgressSinks, type ProgressSink } from "../context/progress-sink.js";
import type { CallToolResult } from "../protocol/mcp-types.js";
import { isProtocolError, ProtocolError, toJsonRpcError } from "../protocol/protocol-error.js";
import type { TaskRecord } from "../tasks/task-record.js";
import type { TaskRunOutcome, TaskRuntime } from "../tasks/task-runtime.js";
import type { RegisteredTool } from "./tool-registry.js";
import { settleToolResult } from "./tool-result.js";
import { runTool, type ToolInvocation } from "./tool-runner.js";

/** Per-call task parameters (`params.task` on the wire). */
export interface TaskRequest {
  /** Requested time-to-live in milliseconds (the server may cap it). */
  ttl?: number | null;
}

/** Everything needed to start one tool call as a task. */
export interface ToolTaskStart {
  runtime: TaskRuntime;
  tool: RegisteredTool;
  owner: string;
  request: TaskRequest;
  maskErrorDetails: boolean;
  /** The invocation without the parts the task runtime supplies (signal, task id, task progress). */
  invocation: Omit<ToolInvocation, "tool" | "signal" | "taskId" | "client">;
  /** Builds the task's requests to the client, once its id is known. */
  clientFor?: ((taskId: string) => ClientRequests | undefined) | undefined;
  /**
   * Keep the handler's own value (or thrown error) for in-process `awaitTask` as long as the task
   * is kept (default true). Wire calls pass false: `tasks/result` answers from the stored result,
   * so keeping the value too would pin a second copy of every result until the task expires.
   */
  keepLocalOutcome?: boolean | undefined;
}

/**
 * Starts `tool` as a background task: the handler runs with a Context whose progress goes to
 * the task record (and to the caller's sink, when there is one), and the outcome is settled
 * exactly as `tools/call` would settle it, so `tasks/result` returns what the call would have.
 */
export function startToolTask(start: ToolTaskStart): Promise<TaskRecord> {
  const { runtime, tool, owner, request, invocation, maskErrorDetails, clientFor } = start;
  const keepLocal = start.keepLocalOutcome !== false;
  return runtime.start({
    owner,
    toolName: tool.name,
    ttl: request.ttl,
    toolTtl: tool.task.ttl,
    pollInterval: tool.task.pollInterval,
    execute: async ({ taskId, signal, progressSink }): Promise<TaskRunOutcome> => {
      const sink: ProgressSink | undefined = combineProgressSinks(progressSink, invocation.progressSink);
      const outcome = await runTool({
        ...invocation,
        tool,
        taskId,
        signal,
        progressSink: sink,
        client: clientFor?.(taskId),
      });
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
    },
  });
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
