import type { TaskProgress, TaskRecord } from "./task-record.js";
import type { TaskStatus } from "./task-status.js";

/** A task as MCP 2025-11-25 describes it (`CreateTaskResult.task`, `tasks/get`, `tasks/list`). */
export interface Task {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttl: number | null;
  pollInterval?: number;
}

/** What `fetchTask` returns: the MCP task plus the tool it runs and its stored progress. */
export interface TaskInfo extends Task {
  toolName: string;
  progress?: TaskProgress;
}

/**
 * The MCP view of a record, built as one literal of its final shape (members added afterwards go
 * to a separate property array: another allocation per task, which an in-process caller keeps).
 */
export function toTask(record: TaskRecord): Task {
  const { taskId, status, statusMessage, createdAt, lastUpdatedAt, ttl, pollInterval } = record;
  if (statusMessage === undefined) {
    return pollInterval === undefined
      ? { taskId, status, createdAt, lastUpdatedAt, ttl }
      : { taskId, status, createdAt, lastUpdatedAt, ttl, pollInterval };
  }
  return pollInterval === undefined
    ? { taskId, status, createdAt, lastUpdatedAt, ttl, statusMessage }
    : { taskId, status, createdAt, lastUpdatedAt, ttl, statusMessage, pollInterval };
}

/** The in-process view of a record: {@link toTask} plus tool name and progress. */
export function toTaskInfo(record: TaskRecord): TaskInfo {
  const info: TaskInfo = { ...toTask(record), toolName: record.toolName };
  if (record.progress !== undefined) info.progress = record.progress;
  return info;
}
