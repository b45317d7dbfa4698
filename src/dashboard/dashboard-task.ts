import type { LogEntry } from "../context/logger.js";
import type { TaskProgress, TaskRecord } from "../tasks/task-record.js";
import type { TaskStatus } from "../tasks/task-status.js";

/** Log lines kept per task for the page (the latest ones). */
export const LOG_LINES_PER_TASK = 8;
/** Characters of one log line sent to the page, at most. */
const LOG_LINE_CHARS = 500;

/** One log line as the page shows it. */
export interface DashboardLogLine {
  level: string;
  message: string;
  /** ISO 8601. */
  timestamp: string;
}

/**
 * A task as the page sees it. Never its owner: without auth that is the session id of an
 * anonymous session, which would let a viewer act as that session on the MCP endpoint.
 */
export interface DashboardTask {
  taskId: string;
  toolName: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  progress?: TaskProgress;
  logs: DashboardLogLine[];
}

/** The page's view of a record, with its recent log lines. */
export function dashboardTask(record: TaskRecord, logs: readonly DashboardLogLine[]): DashboardTask {
  const task: DashboardTask = {
    taskId: record.taskId,
    toolName: record.toolName,
    status: record.status,
    createdAt: record.createdAt,
    lastUpdatedAt: record.lastUpdatedAt,
    logs: [...logs],
  };
  if (record.statusMessage !== undefined) task.statusMessage = record.statusMessage;
  if (record.progress !== undefined) task.progress = record.progress;
  return task;
}

/** A handler's log entry as one line: its message, else its data as JSON, cut to a bounded length. */
export function logLine(entry: LogEntry): DashboardLogLine {
  let message = entry.message;
  if (message === "" && entry.data !== undefined) {
    try {
      message = JSON.stringify(entry.data) ?? "";
    } catch {
      message = String(entry.data);
    }
  }
  if (message.length > LOG_LINE_CHARS) message = `${message.slice(0, LOG_LINE_CHARS - 1)}…`;
  return { level: entry.level, message, timestamp: entry.timestamp };
}
