import { awaitTimeoutError, within } from "./await-within.js";
import type { LocalOutcome, LocalTasks } from "./local-tasks.js";
import type { SharedTasks } from "./shared-tasks.js";
import type { TaskLimits } from "./task-limits.js";
import type { TaskRecord } from "./task-record.js";
import { isTerminalStatus } from "./task-status.js";

/** What {@link TaskWaits} works with: the task runtime's own parts. */
export interface TaskWaitsParts {
  local: LocalTasks;
  limits: TaskLimits;
  shared: SharedTasks;
  /** The record, if `owner` may see it (the runtime's `get`: expiry and ownership checked). */
  get(owner: string, taskId: string): Promise<TaskRecord>;
}

/**
 * The task runtime's waits for a task to end: on its settlement when it runs in this process, on
 * its terminal status event or the store when it runs elsewhere (another instance, a queue's
 * worker).
 */
export class TaskWaits {
  readonly #parts: TaskWaitsParts;

  constructor(parts: TaskWaitsParts) {
    this.#parts = parts;
  }

  /**
   * Waits until the task is terminal and returns its final record. Tasks running in this process
   * are awaited directly; others (another process sharing the store) are woken by their terminal
   * status event with an event bus (the store is read every 10 × `storePollIntervalMs` as a
   * fallback), else polled every `storePollIntervalMs` (or the task's `pollInterval`, if shorter).
   */
  waitForTerminal(
    owner: string,
    taskId: string,
    timeoutMs?: number,
    signal?: AbortSignal,
  ): Promise<TaskRecord> {
    // Chained, not async: an awaitTask on each of thousands of running tasks would keep a
    // suspended frame (~500 bytes) per task for the whole run.
    return this.#parts.get(owner, taskId).then((record) => {
      if (isTerminalStatus(record.status)) return record;
      const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
      const local = this.#parts.local.get(taskId);
      if (local === undefined) {
        const interval = Math.min(
          record.pollInterval ?? this.#parts.limits.defaultPollIntervalMs,
          this.#parts.limits.storePollIntervalMs,
        );
        const get = () => this.#parts.get(owner, taskId);
        return this.#parts.shared.waitElsewhere(get, { taskId, interval, deadline, timeoutMs, signal });
      }
      const timeout = () => awaitTimeoutError(taskId, timeoutMs);
      return within(local.settled, deadline, timeout, signal).then(() => this.#parts.get(owner, taskId));
    });
  }

  /**
   * Resolves once the task is terminal; what it then is, the caller reads. A task the owner runs
   * here is waited for on its own settlement: nothing per waiter but the caller's reaction (for
   * thousands of in-process `awaitTask`s); any other case as {@link waitForTerminal}, errors included.
   */
  whenTerminal(owner: string, taskId: string, timeoutMs?: number): Promise<unknown> {
    const local = this.#parts.local.get(taskId);
    if (local?.running && local.owner === owner && timeoutMs === undefined) {
      return local.settled;
    }
    return this.waitForTerminal(owner, taskId, timeoutMs);
  }

  /**
   * The in-process outcome of a task that ran here (the handler's own value or error), waiting
   * for it when needed; `undefined` when the task ran elsewhere.
   */
  async localOutcome(owner: string, taskId: string, timeoutMs?: number): Promise<LocalOutcome | undefined> {
    // undefined also when the task ran here but its outcome was not kept (see TaskRunOutcome.local).
    // A task of the owner's that finished here answers without reading the store (`tasks/result`
    // has just read its record).
    const settled = this.#parts.local.get(taskId);
    if (settled?.running === false && settled.owner === owner) return settled.settled;
    await this.#parts.get(owner, taskId);
    const local = this.#parts.local.get(taskId);
    if (local === undefined) return undefined;
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
    return within(local.settled, deadline, () => awaitTimeoutError(taskId, timeoutMs));
  }
}
