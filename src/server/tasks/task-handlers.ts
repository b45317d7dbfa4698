import { RELATED_TASK_META_KEY } from "../../protocol/mcp-types.js";
import { InvalidParamsError, MethodNotFoundError, ProtocolError } from "../../protocol/protocol-error.js";
import { PROGRESS_META_KEY } from "../../protocol/revisions/tasks-extension.js";
import type { TaskRecord } from "../../tasks/task-record.js";
import type { TaskRunOutcome } from "../../tasks/task-runtime.js";
import { toTask } from "../../tasks/task-view.js";
import { type RequestHandler, stringParam } from "../dispatch/request-handler.js";
import type { RequestScope } from "../dispatch/request-scope.js";
import { storedValue } from "../tools/tool-task.js";
import { cancelExtensionTask, getDetailedTask, updateTask } from "./task-extension-handlers.js";

// The taskId parameter is the source of truth on tasks/* requests: related-task _meta, `task`
// and progress tokens that some clients add to them are ignored, as the spec says.
// Each handler leaves the task record as the scope's outcome: the in-process API returns that.

/** What `tasks/result` leaves for the in-process API: the final record, and the handler's own outcome when kept. */
export interface TaskResultOutcome {
  record: TaskRecord;
  local: TaskRunOutcome["local"];
}

/** What in-process `awaitTask` resolves with: the handler's own value, else the stored result's; or the error. */
export function awaitedValue({ record, local }: TaskResultOutcome): unknown {
  if (local === undefined) return storedValue(record);
  if (local.ok) return local.value;
  throw local.error;
}

/**
 * `tasks/get`: the task, flat in the result; in the shape of the tasks extension on a revision
 * that has it (the profile says), with the result or error inline. On both, its stored numeric
 * progress rides under the vendor `_meta` key `dev.fastestmcp/progress` (MCP Tasks carry only
 * `statusMessage`), so a client that polls sees how far along the task is.
 */
export const getTask: RequestHandler = async (scope) => {
  const wire = scope.revision?.taskExtension;
  if (wire !== undefined) return getDetailedTask(scope, wire);
  const record = await scope.core.taskRuntime().get(scope.owner, stringParam(scope, "taskId"));
  scope.outcome = record;
  const result: Record<string, unknown> = { ...toTask(record) };
  if (record.progress !== undefined) result._meta = { [PROGRESS_META_KEY]: { ...record.progress } };
  return result;
};

/**
 * `tasks/result`: blocks until the task is terminal, then answers exactly what `tools/call` would
 * have: its result (with the related-task `_meta`), or its JSON-RPC error. An in-process caller
 * may bound the wait (its `timeout`: `FMCP_ERR_TASK_AWAIT_TIMEOUT`).
 */
export const getTaskResult: RequestHandler = async (scope) => {
  const taskId = stringParam(scope, "taskId");
  const record = await waitForTerminal(scope, taskId);
  if (scope.local !== undefined) {
    const runtime = scope.core.taskRuntime();
    const outcome: TaskResultOutcome = { record, local: await runtime.localOutcome(scope.owner, taskId) };
    scope.outcome = outcome;
  }
  if (record.result !== undefined) {
    return { ...record.result, _meta: { ...record.result._meta, [RELATED_TASK_META_KEY]: { taskId } } };
  }
  // The stored wire form, as it was (its reason may be an application's own), plus the task id.
  const stored = record.error ?? { code: -32603, message: `Task ${taskId} ended without a result.` };
  const data = typeof stored.data === "object" && stored.data !== null ? stored.data : {};
  throw ProtocolError.fromJSON({ ...stored, data: { ...data, taskId } });
};

function waitForTerminal(scope: RequestScope, taskId: string): Promise<TaskRecord> {
  const { session, request } = scope;
  // While this waits, the task's requests to the client (elicitation, sampling) ride this stream.
  // Chained, not async: one suspended frame less per waiting task.
  session.taskResultWaiters.set(taskId, request.id);
  return scope.core
    .taskRuntime()
    .waitForTerminal(scope.owner, taskId, scope.local?.timeout, scope.abortable ? scope.signal : undefined)
    .finally(() => {
      if (session.taskResultWaiters.get(taskId) === request.id) session.taskResultWaiters.delete(taskId);
    });
}

/** `tasks/list`: the caller's tasks, oldest first, paginated with an opaque cursor. */
export const listTasks: RequestHandler = async (scope) => {
  const cursor = scope.params.cursor;
  if (cursor !== undefined && typeof cursor !== "string") {
    throw new InvalidParamsError(
      'tasks/list needs "cursor" as a string from a previous nextCursor.',
      "invalid-cursor",
    );
  }
  const page = await scope.core.taskRuntime().list(scope.owner, { cursor, pageSize: scope.local?.pageSize });
  scope.outcome = page;
  const result: Record<string, unknown> = { tasks: page.tasks.map(toTask) };
  if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
  return result;
};

/**
 * `tasks/cancel`: the task is `cancelled` when this answers. The tasks extension answers an
 * empty acknowledgement instead, also for a task that already ended.
 */
export const cancelTask: RequestHandler = async (scope) => {
  const wire = scope.revision?.taskExtension;
  if (wire !== undefined) return cancelExtensionTask(scope, wire);
  const record = await scope.core.taskRuntime().cancel(scope.owner, stringParam(scope, "taskId"));
  scope.outcome = record;
  return { ...toTask(record) };
};

/** `tasks/update` (the tasks extension only): answers to a task's input requests. */
export const updateTaskInputs: RequestHandler = (scope) => {
  // Only the stateless revisions list the method; this guards a profile that lists it without the extension.
  const wire = scope.revision?.taskExtension;
  if (wire === undefined) {
    throw new MethodNotFoundError('Unknown method "tasks/update".', "method-not-found", {
      method: "tasks/update",
    });
  }
  return updateTask(scope, wire);
};
