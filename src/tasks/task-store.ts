import type { TaskPatch, TaskRecord } from "./task-record.js";

/** One page of tasks. */
export interface TaskPage {
  tasks: TaskRecord[];
  /** Pass to the next `list` call; absent on the last page. */
  nextCursor?: string;
}

/**
 * Where task records live. Records cross this interface as plain JSON (implementations must not
 * keep references to the objects they are given or hand out their own), so a SQLite or Redis
 * store can implement it without any change to the runtime. Methods are async for that reason.
 *
 * Conditional writes make the races safe in any store: `update` and `complete` only change a
 * task that is not terminal yet, so a cancel and a completion can never both win.
 */
export interface TaskStore {
  /** Stores a new record. */
  create(record: TaskRecord): Promise<void>;
  /** The record, or `undefined` when unknown or expired. */
  get(taskId: string): Promise<TaskRecord | undefined>;
  /** Applies `patch` unless the task is terminal; returns the new record, or `undefined` if nothing changed. */
  update(taskId: string, patch: TaskPatch): Promise<TaskRecord | undefined>;
  /** Like `update` with a terminal status: the first terminal write wins, later ones return `undefined`. */
  complete(
    taskId: string,
    patch: TaskPatch & { status: "completed" | "failed" | "cancelled" },
  ): Promise<TaskRecord | undefined>;
  /** The owner's tasks in creation order, `limit` per page. Throws `InvalidParamsError` on a bad cursor. */
  list(owner: string, options: { cursor?: string | undefined; limit: number }): Promise<TaskPage>;
  /** Removes a record; returns whether it existed. */
  delete(taskId: string): Promise<boolean>;
  /** Removes every record whose `expiresAt` is at or before `now` (epoch ms); returns their ids. */
  expire(now: number): Promise<string[]>;
}
