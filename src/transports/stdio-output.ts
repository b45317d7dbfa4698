import type { JsonRpcId, JsonRpcMessage } from "../protocol/jsonrpc.js";
import { type ScheduleFlush, WriteCoalescer } from "../util/write-coalescer.js";

const nextTick: ScheduleFlush = (callback) => process.nextTick(callback);

const PROGRESS = "notifications/progress";

/** Ids of the transport's own pings; the session's requests use `s<n>`, so they never collide. */
const BARRIER_ID_PREFIX = "progress-barrier-";

/** Written held lines are cut off the queue once there are more than this many. */
const COMPACT_AFTER = 1024;

/** Default wait for the answer to a progress barrier ping. */
export const DEFAULT_PROGRESS_BARRIER_TIMEOUT_MS = 1000;

/** Default time a response that follows progress waits on a stateless connection (no ping there). */
export const DEFAULT_PROGRESS_GAP_MS = 2;

/** The barrier of a stateless connection: a wait, not a ping (never an id the client can answer). */
const GAP_BARRIER = "gap";

/** How {@link StdioOutput} reports back to its transport. */
export interface StdioOutputHooks {
  /** `output.write` returned false: its buffer is full. */
  onFull(): void;
  /** `output.write` threw. */
  onError(error: Error): void;
  /** The client did not answer a barrier ping in time; barriers are off until it does. */
  onBarrierTimeout(timeoutMs: number): void;
}

/**
 * @internal The stdio transport's outgoing side: joins the lines of a tick into few writes, in
 * order, and makes sure the client has handled a call's progress before the call's response
 * reaches it.
 *
 * Why: the official SDK clients (v1 and v2) handle all messages of one stdout chunk in a loop,
 * run notification handlers a microtask later, but handle a response at once, forgetting the
 * call's progress token. Progress they read in the same chunk as the response is dropped, with an
 * "unknown token" error. No write timing prevents that (a busy client reads late, and then gets
 * everything written meanwhile in one chunk). So a response that follows progress is held, and a
 * `ping` is written after the progress: a client answers a request only after it has handled what
 * came before it (the SDK runs request handlers a microtask later too), so once the answer is in,
 * the held response can go.
 *
 * Order: progress is never held, so the calls in flight keep reporting while responses wait, and
 * one ping covers every response waiting for it. Everything else queues behind a held response, in
 * the order it was sent. Only progress of other calls (or of the same task) overtakes a response.
 *
 * A stateless (2026-07-28) connection takes no requests from the server, so no ping can fence its
 * responses ({@link useGaps}): a response that follows progress waits a short gap instead, and
 * leaves in a write of its own. A client reading whenever it is idle (one call at a time) then
 * reads the progress before the response; a busy one may still get both in one chunk.
 */
export class StdioOutput {
  readonly #output: NodeJS.WritableStream;
  readonly #hooks: StdioOutputHooks;
  readonly #timeoutMs: number;
  /** Joins the lines of a tick: they leave at its end, or every COALESCE_LIMIT characters. */
  readonly #lines: WriteCoalescer;
  /** Barriers are on: by option, and unless the client left one unanswered. */
  #enabled: boolean;
  /** Progress lines queued so far. */
  #progress = 0;
  /** Progress lines the client has handled, as far as an answered ping shows. */
  #handled = 0;
  /** The ping being waited for, and the progress count it was written after. */
  #barrier: string | undefined = undefined;
  #barrierCovers = 0;
  #barriers = 0;
  /** A barrier that timed out: its late answer turns barriers back on. */
  #expired: string | undefined = undefined;
  #timer: NodeJS.Timeout | undefined = undefined;
  /** A stateless connection's gap (ms) in place of pings; undefined: pings. */
  #gapMs: number | undefined = undefined;
  #gapTimer: NodeJS.Timeout | undefined = undefined;
  /** Who waits for the held lines to be written ({@link released}). */
  #whenReleased: Array<() => void> = [];
  /** Held lines from `#heldFrom` on, oldest first, with the progress count each waits for. */
  #heldText: string[] = [];
  #heldNeeds: number[] = [];
  #heldFrom = 0;

  /** The output refused more (`write()` returned false) and has not drained yet. */
  #congested = false;
  /** Run once the output drains ({@link onDrain}). */
  #drainCallbacks: Array<() => void> = [];

  /** The coalescer's sink: one joined chunk to the output. */
  readonly #write = (text: string): void => {
    try {
      if (!this.#output.write(text)) {
        this.#congested = true;
        this.#hooks.onFull();
      }
    } catch (error) {
      this.#hooks.onError(error as Error);
    }
  };
  readonly #onTimeout = (): void => {
    // The timer is re-armed for each barrier, so one still open has waited the full time.
    if (this.#barrier === undefined) return;
    this.#expired = this.#barrier;
    this.#enabled = false;
    this.#hooks.onBarrierTimeout(this.#timeoutMs);
    this.#release(this.#progress);
  };

  readonly #onGap = (): void => {
    if (this.#barrier === GAP_BARRIER) this.#release(this.#barrierCovers);
  };

  constructor(output: NodeJS.WritableStream, hooks: StdioOutputHooks, barrier: boolean, timeoutMs: number) {
    this.#output = output;
    this.#hooks = hooks;
    this.#enabled = barrier;
    this.#timeoutMs = timeoutMs;
    this.#lines = new WriteCoalescer(this.#write, nextTick);
  }

  /**
   * True from a `write()` that returned false until the output's 'drain' ({@link drained}): the
   * client is not reading, and a long-lived stream (`subscriptions/listen`) holds back meanwhile.
   */
  get congested(): boolean {
    return this.#congested;
  }

  /** Runs `callback` once the output can take more (at once when it can now). */
  onDrain(callback: () => void): void {
    if (this.#congested) this.#drainCallbacks.push(callback);
    else callback();
  }

  /** The output emitted 'drain' (the transport listens for it): what waited for it goes on. */
  drained(): void {
    this.#congested = false;
    const callbacks = this.#drainCallbacks;
    this.#drainCallbacks = [];
    for (const callback of callbacks) callback();
  }

  /** Queues `json`, the text of `message`, as one line. */
  push(json: string, message: JsonRpcMessage): void {
    if (!("method" in message)) {
      // A response waits when progress before it is not known to be handled, or to keep its place.
      if (this.#heldFrom < this.#heldText.length || (this.#progress > this.#handled && this.#enabled)) {
        this.#hold(`${json}\n`, this.#progress);
        return;
      }
    } else if (message.method === PROGRESS) {
      this.#progress++;
    } else if (this.#heldFrom < this.#heldText.length) {
      this.#hold(`${json}\n`, 0);
      return;
    }
    this.#lines.write(`${json}\n`);
  }

  /**
   * Takes the client's answer to a barrier ping: true when `id` is one (the transport then drops
   * the message), false for anything else.
   */
  answered(id: JsonRpcId | null): boolean {
    if (typeof id !== "string" || !id.startsWith(BARRIER_ID_PREFIX)) return false;
    if (id === this.#barrier) {
      this.#release(this.#barrierCovers);
    } else if (id === this.#expired) {
      // A slow client, not a silent one.
      this.#expired = undefined;
      this.#enabled = true;
    }
    return true;
  }

  /**
   * The connection is stateless: from now on a response that follows progress waits `gapMs`
   * (in place of a ping, which such a client must not be sent), and leaves in a write of its own.
   */
  useGaps(gapMs: number): void {
    this.#gapMs = gapMs;
  }

  /**
   * No answer can come any more (input ended): writes what is held, and holds nothing from now on.
   * A stateless connection's gaps wait for no answer, and go on.
   */
  stopWaiting(): void {
    if (this.#gapMs !== undefined) return;
    this.#stopHolding();
  }

  /** Resolves once no line is held (at once when none is): a stateless connection's gaps have passed. */
  released(): Promise<void> {
    if (this.#heldFrom === this.#heldText.length) return Promise.resolve();
    return new Promise((resolve) => {
      this.#whenReleased.push(resolve);
    });
  }

  /** Writes everything queued now, held lines included (the transport is closing). */
  flushAll(): void {
    this.#stopHolding();
    this.#lines.flush();
  }

  /** Drops everything queued (the output failed). */
  clear(): void {
    this.#enabled = false;
    this.#lines.clear();
    this.#barrier = undefined;
    if (this.#gapTimer !== undefined) clearTimeout(this.#gapTimer);
    this.#heldText = [];
    this.#heldNeeds = [];
    this.#heldFrom = 0;
    // Nothing is held any more (it will never be written): nobody waits for it.
    this.#release(this.#progress);
  }

  #hold(line: string, needs: number): void {
    this.#heldText.push(line);
    this.#heldNeeds.push(needs);
    if (this.#barrier === undefined && this.#enabled) this.#startBarrier();
  }

  #stopHolding(): void {
    this.#enabled = false;
    this.#expired = undefined;
    if (this.#gapTimer !== undefined) clearTimeout(this.#gapTimer);
    this.#release(this.#progress);
  }

  /**
   * Writes a ping after the progress queued so far; held lines wait for its answer. On a stateless
   * connection they wait the gap instead.
   */
  #startBarrier(): void {
    this.#barrierCovers = this.#progress;
    if (this.#gapMs !== undefined) {
      this.#barrier = GAP_BARRIER;
      if (this.#gapTimer === undefined) {
        this.#gapTimer = setTimeout(this.#onGap, this.#gapMs);
        // Closing writes what is held (flushAll): the wait must not keep the process alive.
        this.#gapTimer.unref();
      } else {
        this.#gapTimer.refresh();
      }
      return;
    }
    const id = `${BARRIER_ID_PREFIX}${++this.#barriers}`;
    this.#barrier = id;
    this.#lines.write(`{"jsonrpc":"2.0","id":"${id}","method":"ping"}\n`);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(this.#onTimeout, this.#timeoutMs);
      // A client that never answers must not keep the process alive.
      this.#timer.unref();
    } else {
      this.#timer.refresh();
    }
  }

  /** The client has handled `handled` progress lines: writes the held lines that waited for no more. */
  #release(handled: number): void {
    this.#barrier = undefined;
    if (handled > this.#handled) this.#handled = handled;
    const text = this.#heldText;
    const needs = this.#heldNeeds;
    let next = this.#heldFrom;
    while (next < text.length && (needs[next] as number) <= this.#handled) {
      this.#lines.write(text[next] as string);
      next++;
    }
    if (next === text.length) {
      this.#heldText = [];
      this.#heldNeeds = [];
      this.#heldFrom = 0;
      if (this.#whenReleased.length > 0) {
        const waiting = this.#whenReleased;
        this.#whenReleased = [];
        for (const resolve of waiting) resolve();
      }
      return;
    }
    if (next > COMPACT_AFTER && next * 2 > text.length) {
      // Under steady load the queue may never empty: drop the written lines now and then.
      text.splice(0, next);
      needs.splice(0, next);
      next = 0;
    }
    this.#heldFrom = next;
    // The rest waits for progress written after that ping: one more ping covers all of it.
    if (this.#enabled) this.#startBarrier();
    else this.#release(this.#progress);
  }
}
