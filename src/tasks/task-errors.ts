import { InvalidParamsError, ProtocolError } from "../protocol/protocol-error.js";
import { quote } from "../protocol/quote.js";
import type { TaskStatus } from "./task-status.js";

/** JSON-RPC code for "too many tasks": in the range JSON-RPC reserves for implementation-defined server errors. */
export const TASK_LIMIT_ERROR_CODE = -32005;

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

/** `-32005` with reason `task-limit-exceeded`: the owner has too many unfinished tasks. */
export class TaskLimitError extends ProtocolError {
  override name = "TaskLimitError";
  constructor(limit: number) {
    super(
      TASK_LIMIT_ERROR_CODE,
      "task-limit-exceeded",
      `Too many unfinished tasks: at most ${limit} may run at once per session. Wait for some to finish or cancel them.`,
      { limit },
    );
  }
}
