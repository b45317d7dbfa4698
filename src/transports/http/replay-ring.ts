/**
 * The bytes of SSE text a session keeps for `Last-Event-ID` replay, summed over its streams, and
 * what to do when they pass the bound. Sizes are string lengths (UTF-16 code units): exactly the
 * bytes of ASCII text, the common case for JSON, and counted without a per-event encoding pass.
 */
export class ReplayBudget {
  /** Characters held by every ring sharing this budget. */
  bytes = 0;
  readonly max: number;
  /** Called when `bytes` passes `max`; it frees what it can (see HttpSession). */
  readonly onOver: () => void;

  constructor(max: number, onOver: () => void = () => undefined) {
    this.max = max;
    this.onOver = onOver;
  }
}

/**
 * A stream's replay buffer: the framed events (ready to write again), event `seq` at slot
 * `(seq - 1) % capacity`; "" for a priming event, which has nothing to replay. It grows to
 * `capacity` slots, then wraps: no per-event object and no compaction. Besides the event count, the
 * session's {@link ReplayBudget} bounds it in bytes: the session may drop its oldest events
 * ({@link trimOldest}), so the events held are always the contiguous range `first..last`.
 */
export class ReplayRing {
  readonly #frames: string[] = [];
  readonly #capacity: number;
  readonly #budget: ReplayBudget;
  /** The oldest event held; `last + 1` when none is. */
  #first = 1;
  /** The newest event stored (held or not). */
  #last = 0;
  #bytes = 0;

  constructor(capacity: number, budget: ReplayBudget) {
    this.#capacity = capacity;
    this.#budget = budget;
  }

  /** The oldest event held (`last + 1` when none is). */
  get first(): number {
    return this.#first;
  }

  /** Events it can hold. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Characters held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether event `seq` is still held. */
  has(seq: number): boolean {
    return seq >= this.#first && seq <= this.#last;
  }

  /** Event `seq`'s frame; "" when it is a priming event or no longer held. */
  get(seq: number): string {
    return this.has(seq) ? (this.#frames[(seq - 1) % this.#capacity] as string) : "";
  }

  /** Stores event `seq`, which must be the next one (`last + 1`). */
  store(seq: number, frame: string): void {
    this.#last = seq;
    const capacity = this.#capacity;
    if (capacity === 0) {
      this.#first = seq + 1;
      return;
    }
    const frames = this.#frames;
    const slot = (seq - 1) % capacity;
    let delta = frame.length;
    if (slot === frames.length) frames.push(frame);
    else {
      // The slot holds event seq - capacity, unless the session trimmed it already.
      if (seq - capacity >= this.#first) {
        delta -= (frames[slot] as string).length;
        this.#first = seq - capacity + 1;
      }
      frames[slot] = frame;
    }
    this.#grow(delta);
  }

  /** Replaces held event `seq` (a coalesced progress notification); a no-op when it is not held. */
  replace(seq: number, frame: string): void {
    if (!this.has(seq)) return;
    const slot = (seq - 1) % this.#capacity;
    const old = this.#frames[slot] as string;
    this.#frames[slot] = frame;
    this.#grow(frame.length - old.length);
  }

  /** Drops the oldest event held; false when none is. */
  trimOldest(): boolean {
    if (this.#first > this.#last) return false;
    const slot = (this.#first - 1) % this.#capacity;
    const bytes = (this.#frames[slot] as string).length;
    this.#frames[slot] = "";
    this.#first++;
    this.#bytes -= bytes;
    this.#budget.bytes -= bytes;
    return true;
  }

  /** Drops every event (the stream is forgotten), giving its bytes back to the budget. */
  clear(): void {
    this.#budget.bytes -= this.#bytes;
    this.#bytes = 0;
    this.#frames.fill("");
    this.#first = this.#last + 1;
  }

  #grow(delta: number): void {
    this.#bytes += delta;
    const budget = this.#budget;
    budget.bytes += delta;
    if (budget.bytes > budget.max) budget.onOver();
  }
}
