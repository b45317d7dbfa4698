import type { ProgressTracker } from "./progress-tracker.js";

/**
 * The request-local progress helper returned by `ctx.progress()`. Every method validates, updates
 * the request's state and (through the runtime) the task record and client notifications, then
 * returns the same helper so calls chain:
 *
 * ```ts
 * const progress = ctx.progress().setTotal(3).increment().setMessage("Step 1");
 * progress.current; // 1
 * ```
 * Invalid updates throw a `ProgressError` and change nothing.
 */
export class Progress {
  readonly #tracker: ProgressTracker;

  /** @internal Created by `Context.progress()`. */
  constructor(tracker: ProgressTracker) {
    this.#tracker = tracker;
  }

  /** Work done so far (0 before the first update). */
  get current(): number {
    return this.#tracker.current;
  }

  /** Work in all, when set. */
  get total(): number | undefined {
    return this.#tracker.total;
  }

  /** The latest status message, when set. */
  get message(): string | undefined {
    return this.#tracker.message;
  }

  /** Sets the amount of work in all; must be a finite number >= current. */
  setTotal(total: number): this {
    this.#tracker.setTotal(total);
    return this;
  }

  /** Adds `by` (default 1, must be > 0) to the work done. */
  increment(by = 1): this {
    this.#tracker.increment(by);
    return this;
  }

  /** Sets the status message shown to people. */
  setMessage(message: string): this {
    this.#tracker.setMessage(message);
    return this;
  }
}
