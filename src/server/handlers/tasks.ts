import { RELATED_TASK_META_KEY } from "../../protocol/mcp-types.js";
import { InvalidParamsError, ProtocolError } from "../../protocol/protocol-error.js";
import type { TaskRecord } from "../../tasks/task-record.js";
import { toTask } from "../../tasks/task-view.js";
import { type RequestCall, type RequestHandler, stringParam } from "../request-handler.js";

// The taskId parameter is the source of truth on tasks/* requests: related-task _meta, `task`
// and progress tokens that some clients add to them are ignored, as the spec says.

/** `tasks/get`: the task, flat in the result. */
export const getTask: RequestHandler = async (call: RequestCall) => {
  const record = await call.core.taskRuntime().get(call.session.owner, stringParam(call, "taskId"));
  return { ...toTask(record) };
};

/**
 * `tasks/result`: blocks until the task is terminal, then answers exactly what `tools/call` would
 * have: its result (with the related-task `_meta`), or its JSON-RPC error.
 */
export const getTaskResult: RequestHandler = async (call: RequestCall) => {
  const taskId = stringParam(call, "taskId");
  // While this waits, the task's requests to the client (elicitation, sampling) ride this stream.
  call.session.taskResultWaiters.set(taskId, call.request.id);
  let record: TaskRecord;
  try {
    record = await call.core
      .taskRuntime()
      .waitForTerminal(call.session.owner, taskId, undefined, call.signal);
  } finally {
    if (call.session.taskResultWaiters.get(taskId) === call.request.id)
      call.session.taskResultWaiters.delete(taskId);
  }
  if (record.result !== undefined) {
    return { ...record.result, _meta: { ...record.result._meta, [RELATED_TASK_META_KEY]: { taskId } } };
  }
  const error = ProtocolError.fromJSON(
    record.error ?? { code: -32603, message: `Task ${taskId} ended without a result.` },
  );
  throw new ProtocolError(error.code, error.reason, error.message, { ...error.data, taskId });
};

/** `tasks/list`: the session's tasks, oldest first, paginated with an opaque cursor. */
export const listTasks: RequestHandler = async (call: RequestCall) => {
  const cursor = call.params.cursor;
  if (cursor !== undefined && typeof cursor !== "string") {
    throw new InvalidParamsError(
      'tasks/list needs "cursor" as a string from a previous nextCursor.',
      "invalid-cursor",
    );
  }
  const page = await call.core
    .taskRuntime()
    .list(call.session.owner, { cursor: typeof cursor === "string" ? cursor : undefined });
  const result: Record<string, unknown> = { tasks: page.tasks.map(toTask) };
  if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
  return result;
};

/** `tasks/cancel`: the task is `cancelled` when this answers. */
export const cancelTask: RequestHandler = async (call: RequestCall) => {
  const record = await call.core.taskRuntime().cancel(call.session.owner, stringParam(call, "taskId"));
  return { ...toTask(record) };
};
