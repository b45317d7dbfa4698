/**
 * A bounded table of recently seen short strings, so that equal strings made afresh (a progress
 * message built per step, `step ${n}`, by thousands of concurrent tasks) are kept as one copy.
 *
 * Why: what a task keeps until its next update (its tracker's message, the stored one) lives for
 * a whole round of updates of every running task, long enough to be promoted to the old
 * generation, where it stays as garbage until the next full GC. At 10,000 tasks reporting a fresh
 * message each step, that was most of bench:tasks' old-generation growth. Kept here instead, a
 * message seen before costs a lookup, and the caller's own copy dies young.
 */
export class StringIntern {
  readonly #table = new Map<string, string>();
  readonly #maxEntries: number;
  readonly #maxLength: number;

  /** Keeps at most `maxEntries` strings (then starts over), none longer than `maxLength`. */
  constructor(maxEntries = 1024, maxLength = 64) {
    this.#maxEntries = maxEntries;
    this.#maxLength = maxLength;
  }

  /** How many strings are kept now. */
  get size(): number {
    return this.#table.size;
  }

  /** The kept copy of a string equal to `value`, or `value` itself (kept now, when short enough). */
  intern(value: string): string {
    if (value.length > this.#maxLength) return value;
    const kept = this.#table.get(value);
    if (kept !== undefined) return kept;
    // Unique strings (a counter in every message) must not grow the table without bound.
    if (this.#table.size >= this.#maxEntries) this.#table.clear();
    this.#table.set(value, value);
    return value;
  }
}
