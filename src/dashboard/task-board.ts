import type { FastestMCPServer } from "../server/fastestmcp-server.js";
import { TaskNotFoundError } from "../tasks/task-errors.js";
import type { TaskEvent, TaskLogEvent } from "../tasks/task-events.js";
import type { TaskRecord } from "../tasks/task-record.js";
import { isTerminalStatus } from "../tasks/task-status.js";
import type { TaskInfo } from "../tasks/task-view.js";
import {
  type DashboardLogLine,
  type DashboardTask,
  dashboardTask,
  LOG_LINES_PER_TASK,
  logLine,
} from "./dashboard-task.js";

/** What changed about a task: it appeared, its status changed, or its stored progress did. */
export type TaskChange = "created" | "status" | "progress";

/** What the board tells its viewers, batched. `owner` is for filtering, never sent to a page. */
export type BoardUpdate =
  | { type: "task"; change: TaskChange; owner: string; task: DashboardTask }
  | { type: "log"; owner: string; taskId: string; line: DashboardLogLine };

/** Receives the updates of one flush, in order: the changed tasks first, then the new log lines. */
export type BoardListener = (updates: readonly BoardUpdate[]) => void;

interface Entry {
  record: TaskRecord;
  logs: DashboardLogLine[];
}

/** Options of a {@link TaskBoard}. */
export interface TaskBoardOptions {
  /** Tasks kept (default 200): past it, the oldest finished one goes, else the oldest. */
  maxTasks?: number;
  /** Milliseconds over which updates are batched (default 50): a fast task's progress coalesces. */
  flushMs?: number;
}

/**
 * The tasks of this process as the dashboard shows them, kept current from the runtime's task
 * events (status, stored progress, log entries): subscribed to, never polled. It keeps each
 * task's latest record and last few log lines, bounded in count, and hands its viewers batches:
 * a task changed many times between two flushes is sent once, as it is now.
 */
export class TaskBoard {
  readonly #server: FastestMCPServer;
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<BoardListener>();
  readonly #changed = new Map<string, TaskChange>();
  #logs: BoardUpdate[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #maxTasks: number;
  readonly #flushMs: number;
  readonly #unsubscribe: () => void;

  constructor(server: FastestMCPServer, options: TaskBoardOptions = {}) {
    this.#server = server;
    this.#maxTasks = options.maxTasks ?? 200;
    this.#flushMs = options.flushMs ?? 50;
    this.#unsubscribe = server.onTaskEvent((event) => this.#onEvent(event), { logs: true });
  }

  /**
   * Adds a viewer (`owner` undefined: every task) and returns the tasks it may see now, oldest
   * first; `listener` gets every change after them. Tasks deleted from the store (expired, or
   * released with their anonymous session) are dropped first.
   */
  async watch(owner: string | undefined, listener: BoardListener): Promise<DashboardTask[]> {
    await this.#prune();
    // Pending updates go out first, so the snapshot below is not followed by what it contains.
    this.#flush();
    this.#listeners.add(listener);
    return this.tasks(owner);
  }

  /** Removes a viewer. */
  unwatch(listener: BoardListener): void {
    this.#listeners.delete(listener);
  }

  /** The tasks `owner` may see (undefined: all), oldest first, with their recent log lines. */
  tasks(owner: string | undefined): DashboardTask[] {
    const tasks: DashboardTask[] = [];
    for (const { record, logs } of this.#entries.values()) {
      if (owner === undefined || record.owner === owner) tasks.push(dashboardTask(record, logs));
    }
    return tasks;
  }

  /**
   * Cancels a task `owner` may see (undefined: any), as its owner would.
   * @throws {TaskNotFoundError} for a task not on the board or not the viewer's.
   * @throws {TaskTerminalError} when it already finished.
   */
  async cancel(taskId: string, owner: string | undefined): Promise<TaskInfo> {
    const entry = this.#entries.get(taskId);
    if (entry === undefined || (owner !== undefined && entry.record.owner !== owner)) {
      throw new TaskNotFoundError(taskId);
    }
    return this.#server.cancelTask(taskId, { owner: entry.record.owner });
  }

  /** Stops listening to the runtime. */
  close(): void {
    this.#unsubscribe();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#listeners.clear();
  }

  #onEvent(event: TaskEvent | TaskLogEvent): void {
    if (event.type === "log") {
      const entry = this.#entries.get(event.taskId);
      if (entry === undefined) return;
      const line = logLine(event.entry);
      entry.logs.push(line);
      if (entry.logs.length > LOG_LINES_PER_TASK) entry.logs.shift();
      this.#logs.push({ type: "log", owner: event.owner, taskId: event.taskId, line });
    } else {
      const { task } = event;
      const entry = this.#entries.get(task.taskId);
      if (entry === undefined) {
        this.#entries.set(task.taskId, { record: task, logs: [] });
        this.#changed.set(task.taskId, "created");
        this.#evict();
      } else {
        entry.record = task;
        // "created" and "status" outrank "progress": the page learns the row is new, or its status moved.
        const before = this.#changed.get(task.taskId);
        if (before !== "created" && before !== "status") this.#changed.set(task.taskId, event.type);
      }
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#listeners.size === 0) {
      if (this.#listeners.size === 0) this.#discard();
      return;
    }
    this.#timer = setTimeout(() => this.#flush(), this.#flushMs);
    this.#timer.unref?.();
  }

  /** Nobody watches: nothing to batch (the entries stay current for the next viewer). */
  #discard(): void {
    this.#changed.clear();
    this.#logs = [];
  }

  #flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const updates: BoardUpdate[] = [];
    for (const [taskId, change] of this.#changed) {
      const entry = this.#entries.get(taskId);
      if (entry === undefined) continue;
      // Log lines travel as their own updates: the task's view carries none here.
      updates.push({
        type: "task",
        change,
        owner: entry.record.owner,
        task: dashboardTask(entry.record, []),
      });
    }
    updates.push(...this.#logs);
    this.#discard();
    if (updates.length === 0) return;
    for (const listener of this.#listeners) listener(updates);
  }

  /** Keeps the board within maxTasks: the oldest finished task goes first, else the oldest. */
  #evict(): void {
    if (this.#entries.size <= this.#maxTasks) return;
    let victim: string | undefined;
    for (const [taskId, { record }] of this.#entries) {
      if (isTerminalStatus(record.status)) {
        victim = taskId;
        break;
      }
    }
    victim ??= this.#entries.keys().next().value;
    if (victim !== undefined) {
      this.#entries.delete(victim);
      this.#changed.delete(victim);
    }
  }

  /** Drops the tasks the store no longer has (expired, deleted). */
  async #prune(): Promise<void> {
    const entries = [...this.#entries];
    const gone = await Promise.all(
      entries.map(([taskId, { record }]) =>
        this.#server.fetchTask(taskId, { owner: record.owner }).then(
          () => false,
          (error: unknown) => error instanceof TaskNotFoundError,
        ),
      ),
    );
    entries.forEach(([taskId], index) => {
      if (gone[index]) this.#entries.delete(taskId);
    });
  }
}
