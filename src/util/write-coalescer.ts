/**
 * Characters of outgoing text gathered before they are handed on: big enough that a burst of small
 * messages costs a few writes, small enough to stay a regular (young-generation) string. A write
 * per message would cost the stream's bookkeeping each (a burst of progress is thousands); one
 * string for a whole burst would be a large-object allocation that triggers old-generation GCs,
 * and the client would wait for all of it.
 */
export const COALESCE_LIMIT = 32 * 1024;

/** Runs a callback once the current synchronous burst of writes is over (a tick, a task). */
export type ScheduleFlush = (callback: () => void) => void;

/**
 * @internal Joins the small writes of one burst into few chunks, in order, for the stdio
 * transport and both SSE writers. Text leaves when COALESCE_LIMIT characters are pending (a long
 * burst: the client reads the first messages while the rest is made) and when the burst is over
 * (the transport's `schedule`: `process.nextTick` on Node streams, after the task on the web one).
 *
 * It only gathers: the `sink` writes one chunk to the transport's stream and handles that
 * stream's backpressure itself (a Node response's buffer, a web stream's desired size, stdout's
 * `write` answer), since each reports it differently. Nothing is allocated per write beyond the
 * joined string: the flush callback is made once.
 */
export class WriteCoalescer {
  #pending = "";
  #scheduled = false;
  readonly #sink: (chunk: string) => void;
  readonly #schedule: ScheduleFlush;
  readonly #flushScheduled = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  /**
   * @param sink Writes one joined chunk (never empty) to the transport's stream.
   * @param schedule Calls its callback once the current burst of writes is over.
   */
  constructor(sink: (chunk: string) => void, schedule: ScheduleFlush) {
    this.#sink = sink;
    this.#schedule = schedule;
  }

  /** Appends `text`; it leaves with the rest of the burst, or now if COALESCE_LIMIT is reached. */
  write(text: string): void {
    this.#pending += text;
    if (this.#pending.length >= COALESCE_LIMIT) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      this.#schedule(this.#flushScheduled);
    }
  }

  /** Hands what is pending to the sink now (nothing when nothing is). */
  flush(): void {
    const chunk = this.#pending;
    if (chunk === "") return;
    this.#pending = "";
    this.#sink(chunk);
  }

  /** Takes what is pending without handing it to the sink (to write it some other way: `res.end(chunk)`). */
  take(): string {
    const chunk = this.#pending;
    this.#pending = "";
    return chunk;
  }

  /** Drops what is pending (the connection is gone). */
  clear(): void {
    this.#pending = "";
  }
}
