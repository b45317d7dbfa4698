import { FastestMcpError } from "../errors.js";

/** A task's status, as in MCP 2025-11-25 Tasks. */
export type TaskStatus = "working" | "input_required" | "completed" | "failed" | "cancelled";

/** Statuses a task never leaves. */
export type TerminalTaskStatus = "completed" | "failed" | "cancelled";

const NEXT: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  working: ["input_required", "completed", "failed", "cancelled"],
  input_required: ["working", "completed", "failed", "cancelled"],
  completed: [],
  failed: [],
  cancelled: [],
};

/** True for `completed`, `failed` and `cancelled`. */
export function isTerminalStatus(status: TaskStatus): status is TerminalTaskStatus {
  return status === "completed" || status === "failed" || status === "cancelled";
}

/** Whether the MCP task state machine allows `from` → `to`. */
export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return NEXT[from].includes(to);
}

/** Throws `FMCP_ERR_TASK_TRANSITION_INVALID` unless `from` → `to` is allowed. */
export function assertTransition(taskId: string, from: TaskStatus, to: TaskStatus): void {
  if (!canTransition(from, to)) {
    throw new FastestMcpError(
      "FMCP_ERR_TASK_TRANSITION_INVALID",
      `Task ${taskId} cannot move from "${from}" to "${to}"` +
        (isTerminalStatus(from) ? `: "${from}" is terminal.` : "."),
    );
  }
}
