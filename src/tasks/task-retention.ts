/** What one owner keeps: its unfinished tasks, and its finished ones with their stored bytes. */
interface OwnerTasks {
  readonly unfinished: Set<string>;
  /** Finished tasks and the bytes of their stored outcome, in the order they finished. */
  readonly finished: Map<string, number>;
  bytes: number;
}

/** Returned when nothing is evicted (the common case), so no array is allocated per task. */
const NO_EVICTIONS: readonly string[] = Object.freeze([]);

/** What one owner retains right now (see {@link TaskRetention}). */
export interface RetainedTasks {
  /** Tasks kept, unfinished and finished. */
  tasks: number;
  /** Tasks not terminal yet. */
  unfinished: number;
  /** Bytes of the stored results and errors of the finished ones (as {@link jsonSize} counts them). */
  resultBytes: number;
}

/**
 * Per-owner bookkeeping of the tasks a store keeps, so that what one client can pin is bounded:
 * at most `maxTasks` tasks (finished included) and `maxBytes` of stored results per owner
 * (`MemoryTaskStore` uses it; a durable store keeps the same rules in its tables).
 *
 * At either bound the owner's tasks that finished longest ago go first, as if their TTL had
 * expired: a finished task only waits for its client to collect the result, and the one that has
 * waited longest is the likeliest to be abandoned. Unfinished tasks are never evicted, so a new
 * task is refused only when every retained task is unfinished.
 *
 * Every method is synchronous: a decision and its bookkeeping happen in one step, so two tasks of
 * the same owner can never both take the last place. The caller deletes the evicted records.
 */
export class TaskRetention {
  readonly #owners = new Map<string, OwnerTasks>();

  /** The owner's retained tasks and stored bytes. */
  of(owner: string): RetainedTasks {
    const tasks = this.#owners.get(owner);
    if (tasks === undefined) return { tasks: 0, unfinished: 0, resultBytes: 0 };
    return {
      tasks: tasks.unfinished.size + tasks.finished.size,
      unfinished: tasks.unfinished.size,
      resultBytes: tasks.bytes,
    };
  }

  /** How many of the owner's tasks are not terminal yet. */
  unfinished(owner: string): number {
    return this.#owners.get(owner)?.unfinished.size ?? 0;
  }

  /**
   * Counts a new unfinished task. At `maxTasks`, the owner's longest-finished tasks make room.
   * @returns the ids of the evicted tasks (forgotten here; the caller deletes their records), or
   *   `undefined` when every retained task is unfinished: the task must be refused.
   */
  admit(owner: string, taskId: string, maxTasks: number): readonly string[] | undefined {
    let tasks = this.#owners.get(owner);
    if (tasks === undefined) {
      tasks = { unfinished: new Set(), finished: new Map(), bytes: 0 };
      this.#owners.set(owner, tasks);
    }
    if (tasks.unfinished.size >= maxTasks) return undefined;
    // At least one retained task is finished here, since not all of them are unfinished.
    const over = tasks.unfinished.size + tasks.finished.size + 1 - maxTasks;
    let evicted = NO_EVICTIONS;
    if (over > 0) {
      const ids: string[] = [];
      for (let i = 0; i < over; i++) ids.push(this.#evictOldest(tasks));
      evicted = ids;
    }
    tasks.unfinished.add(taskId);
    return evicted;
  }

  /**
   * Moves a task to the finished ones with `bytes` of stored outcome. Over `maxBytes`, the
   * owner's other finished tasks go, longest-finished first (the task itself always stays: the
   * runtime never stores an outcome larger than the whole budget).
   * @returns the ids of the evicted tasks; the caller deletes their records.
   */
  finish(owner: string, taskId: string, bytes: number, maxBytes: number): readonly string[] {
    const tasks = this.#owners.get(owner);
    if (tasks === undefined || !tasks.unfinished.delete(taskId)) return NO_EVICTIONS;
    tasks.finished.set(taskId, bytes);
    tasks.bytes += bytes;
    if (tasks.bytes <= maxBytes) return NO_EVICTIONS;
    const ids: string[] = [];
    while (tasks.bytes > maxBytes && tasks.finished.size > 1) ids.push(this.#evictOldest(tasks));
    return ids;
  }

  /** Forgets a task whose record is gone (expired, purged or deleted). Unknown ids are ignored. */
  forget(owner: string, taskId: string): void {
    const tasks = this.#owners.get(owner);
    if (tasks === undefined) return;
    const bytes = tasks.finished.get(taskId);
    if (bytes !== undefined) {
      tasks.finished.delete(taskId);
      tasks.bytes -= bytes;
    } else {
      tasks.unfinished.delete(taskId);
    }
    this.#dropIfEmpty(owner, tasks);
  }

  /** Forgets every task of the owner (its session ended). */
  forgetOwner(owner: string): void {
    this.#owners.delete(owner);
  }

  /** Evicts the owner's longest-finished task; callers ensure there is one. */
  #evictOldest(tasks: OwnerTasks): string {
    // Maps iterate in insertion order: the first entry finished longest ago.
    const [taskId, bytes] = tasks.finished.entries().next().value as [string, number];
    tasks.finished.delete(taskId);
    tasks.bytes -= bytes;
    return taskId;
  }

  #dropIfEmpty(owner: string, tasks: OwnerTasks): void {
    if (tasks.unfinished.size === 0 && tasks.finished.size === 0) this.#owners.delete(owner);
  }
}
