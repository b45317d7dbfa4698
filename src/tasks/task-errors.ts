import { ErrorCode } from "../protocol/error-codes.js";
import { InternalError, InvalidParamsError, ProtocolError } from "../protocol/protocol-error.js";
import { quote } from "../protocol/quote.js";
import type { TaskStatus } from "./task-status.js";

/** JSON-RPC code for "too many tasks": in the range JSON-RPC reserves for implementation-defined server errors. */
export const TASK_LIMIT_ERROR_CODE = ErrorCode.LimitExceeded;

/**
 * `-32602` with reason `task-not-found`: no such task for this owner. Unknown, expired and other
 * owners' tasks all look exactly like this, so task ids leak nothing.
 */
export class TaskNotFoundError extends InvalidParamsError {
  override name = "TaskNotFoundError";
  constructor(taskId: string) {
    super(
      `Unknown task ${quote(taskId)}: it does not exist, has expired, or belongs to another session.`,
      "task-not-found",
      { taskId },
    );
  }
}

/** `-32602` with reason `task-terminal`: the task already reached a terminal status (e.g. on cancel). */
export class TaskTerminalError extends InvalidParamsError {
  override name = "TaskTerminalError";
  constructor(taskId: string, status: TaskStatus) {
    super(`Cannot cancel task ${taskId}: it is already ${status}.`, "task-terminal", { taskId, status });
  }
}

/**
 * `-32005` with reason `task-limit-exceeded`: the owner has `maxTasksPerOwner` tasks and all of
 * them are unfinished (finished ones would have been evicted to make room).
 */
export class TaskLimitError extends ProtocolError {
  override name = "TaskLimitError";
  constructor(limit: number) {
    super(
      "task-limit-exceeded",
      `Too many unfinished tasks: at most ${limit} may run at once per session. Wait for some to finish or cancel them.`,
      { limit },
    );
  }
}

/**
 * `-32603` with reason `task-result-too-large`: the task's result (or error) is larger than all
 * the result bytes one owner may keep (`maxResultBytesPerOwner`), so it was not stored; the task
 * failed with this error instead.
 */
export class TaskResultTooLargeError extends InternalError {
  override name = "TaskResultTooLargeError";
  constructor(taskId: string, bytes: number, limit: number) {
    super(
      `The result of task ${taskId} was not kept: it is ${bytes} bytes of JSON, more than the ${limit} ` +
        "bytes of task results a session may keep (tasks.maxResultBytesPerOwner). " +
        "Return a smaller result (e.g. a resource link), or raise the limit on the server.",
      "task-result-too-large",
      { taskId, bytes, limit },
    );
  }
}

/**
 * `-32603` with reason `task-interrupted`: the process running the task stopped (crashed, was
 * killed) before the task finished. A durable store fails such a task with this error when it
 * notices, on the next start or from another process sharing it, so no task stays `working`; a
 * job queue when a job's worker stopped and the job is not run again (`why` says why not).
 */
export class TaskInterruptedError extends InternalError {
  override name = "TaskInterruptedError";
  constructor(taskId: string, why?: string) {
    super(
      why === undefined
        ? `The server stopped before task ${taskId} finished (its process exited or crashed); start it again.`
        : `Task ${taskId}: ${why}`,
      "task-interrupted",
      { taskId },
    );
  }
}

/** The status message of a task failed with {@link TaskInterruptedError}. */
export const INTERRUPTED_STATUS_MESSAGE = "The server stopped before it finished.";
