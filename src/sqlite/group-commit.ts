import { afterTask } from "../util/after-task.js";

interface Pending {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit: the writes asked for during one turn of the event loop run in one transaction,
 * each in a savepoint of its own. A commit costs about as much for one row as for a thousand (it
 * is the WAL frame and lock traffic), so 10,000 tasks created at once take one commit, not 10,000.
 * A write that fails rolls back its savepoint only and rejects alone; a commit that fails rejects
 * every write of the group, and nothing of it is stored. Each write resolves once it is committed.
 */
export class GroupCommit {
  readonly #transaction: (body: () => void) => void;
  readonly #savepoint: (work: () => unknown) => unknown;
  readonly #onError: (error: unknown) => unknown;
  #queue: Pending[] = [];
  #scheduled = false;

  /**
   * `transaction` runs its body in one write transaction; `savepoint` runs work inside it,
   * rolling back only that work when it throws; `onError` turns a SQLite error into what callers see.
   */
  constructor(
    transaction: (body: () => void) => void,
    savepoint: (work: () => unknown) => unknown,
    onError: (error: unknown) => unknown,
  ) {
    this.#transaction = transaction;
    this.#savepoint = savepoint;
    this.#onError = onError;
  }

  /** Runs `work` in the next group; resolves with what it returned, once committed. */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      afterTask(() => this.flush());
    });
  }

  /** Commits what is queued now (the scheduled run does this; `close` too). */
  flush(): void {
    this.#scheduled = false;
    const group = this.#queue;
    this.#queue = [];
    if (group.length === 0) return;
    const outcomes: Array<{ ok: boolean; value: unknown }> = [];
    try {
      this.#transaction(() => {
        for (const pending of group) {
          try {
            outcomes.push({ ok: true, value: this.#savepoint(pending.work) });
          } catch (error) {
            outcomes.push({ ok: false, value: error });
          }
        }
      });
    } catch (error) {
      const failure = this.#onError(error);
      for (const pending of group) pending.reject(failure);
      return;
    }
    group.forEach((pending, i) => {
      const outcome = outcomes[i] as { ok: boolean; value: unknown };
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(this.#onError(outcome.value));
    });
  }
}
