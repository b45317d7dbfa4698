/**
 * The frames waiting for a congested SSE connection, oldest first: the events after the last one
 * handed to it, contiguous, so the event `k` places after that is at index `k - 1`. "" stands for an
 * event with nothing to write (a replayed priming event). Taken from the front by moving a head
 * index (no `shift()` copying), reset when emptied.
 */
export class SseBacklog {
  readonly #frames: string[] = [];
  #head = 0;
  /** Characters waiting. */
  bytes = 0;

  /** Events waiting. */
  get length(): number {
    return this.#frames.length - this.#head;
  }

  push(frame: string): void {
    this.#frames.push(frame);
    this.bytes += frame.length;
  }

  /** Replaces the frame at `index` (0: the oldest waiting). */
  replace(index: number, frame: string): void {
    const at = this.#head + index;
    this.bytes += frame.length - (this.#frames[at] as string).length;
    this.#frames[at] = frame;
  }

  /** Takes the oldest frame; undefined when none waits. */
  shift(): string | undefined {
    if (this.#head === this.#frames.length) return undefined;
    const frame = this.#frames[this.#head] as string;
    this.#frames[this.#head++] = "";
    this.bytes -= frame.length;
    if (this.#head === this.#frames.length) this.clear();
    return frame;
  }

  clear(): void {
    this.#frames.length = 0;
    this.#head = 0;
    this.bytes = 0;
  }
}
