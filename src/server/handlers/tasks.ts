import { ProtocolError } from "../../protocol/protocol-error.js";
import { toTask } from "../../tasks/task-view.js";
import { type RequestCall, type RequestHandler, stringParam } from "../request-handler.js";

/** `_meta` key that ties a message to a task (MCP 2025-11-25). */
export const RELATED_TASK_META_KEY = "io.modelcontextprotocol/related-task";

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
  const record = await call.core
    .taskRuntime()
    .waitForTerminal(call.session.owner, taskId, undefined, call.signal);
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
