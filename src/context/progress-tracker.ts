import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import { isoNow } from "../util/iso-now.js";
import { StringIntern } from "../util/string-intern.js";
import { ProgressError } from "./progress-error.js";
import type { ProgressSink, ProgressUpdate } from "./progress-sink.js";

/** Default minimum time between two deliveries to a sink, in milliseconds. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 50;

export interface ProgressTrackerOptions {
  /** Where accepted states go. Without a sink the tracker only keeps request-local state. */
  sink?: ProgressSink | undefined;
  /**
   * Minimum milliseconds between two deliveries. Changes made meanwhile are coalesced and the
   * latest one is delivered when the interval ends. `0` turns the time limit off: every
   * synchronous batch of changes is delivered (on the next microtask).
   */
  intervalMs?: number | undefined;
  /** Called when the sink throws; the handler itself is never failed by a listener. */
  onSinkError?: ((error: unknown) => void) | undefined;
  /** Where a throwing sink is reported when there is no `onSinkError` (default: a line on stderr). */
  logger?: DiagnosticLogger | undefined;
}

/**
 * Schedules the tracker's deliveries: `then` on a settled promise queues a plain V8 microtask,
 * where Node's queueMicrotask also creates an AsyncResource and a bound function per call (a
 * third of a delivery's cost with coalescing off, which schedules one per step).
 */
const settled = Promise.resolve();

/**
 * A {@link ProgressUpdate} without `undefined` members, built as one literal of its final shape:
 * members added after the literal would go to a separate property array (another allocation per
 * update, at thousands of updates per second).
 */
export function progressUpdate(
  current: number,
  total: number | undefined,
  message: string | undefined,
  reportedAt: string,
): ProgressUpdate {
  if (total === undefined) {
    return message === undefined ? { current, reportedAt } : { current, message, reportedAt };
  }
  return message === undefined ? { current, total, reportedAt } : { current, total, message, reportedAt };
}

/**
 * Progress messages, kept once: a task keeps its message until its next update, and thousands
 * of tasks each building the same messages afresh (`step ${n}`) would otherwise leave a promoted
 * copy per task per step in the old generation (see {@link StringIntern}).
 */
const messages = new StringIntern();

function describe(value: unknown): string {
  return typeof value === "number" ? String(value) : `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * The one progress state of a request. Both `ctx.reportProgress` and the `ctx.progress()` helper
 * write here; the tracker validates, keeps the state and delivers it to the sink at a bounded rate.
 *
 * Delivery: changes are delivered on the next microtask, so a synchronous chain such as
 * `increment().setMessage("Step 1")` arrives as one update (on the wire, a message-only update
 * could not be sent: progress must increase with every notification). After a delivery, further
 * changes wait for the interval to end and only the latest is delivered. {@link flush} delivers a
 * pending change at once, so the final state always arrives before the request completes.
 */
export class ProgressTracker {
  #current = 0;
  #total: number | undefined = undefined;
  #message: string | undefined = undefined;
  #reported = false;
  #dirty = false;
  #armed = false;
  #closed = false;
  #timer: ReturnType<typeof setInterval> | undefined = undefined;
  readonly #sink: ProgressSink | undefined;
  readonly #intervalMs: number;
  readonly #onSinkError: ((error: unknown) => void) | undefined;
  readonly #logger: DiagnosticLogger;

  constructor(options: ProgressTrackerOptions = {}) {
    this.#sink = options.sink;
    this.#intervalMs = options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.#onSinkError = options.onSinkError;
    this.#logger = options.logger ?? stderrLogger;
  }

  get current(): number {
    return this.#current;
  }

  get total(): number | undefined {
    return this.#total;
  }

  get message(): string | undefined {
    return this.#message;
  }

  /** The state as a plain object (what a sink would receive now). */
  snapshot(): ProgressUpdate {
    return progressUpdate(this.#current, this.#total, this.#message, isoNow());
  }

  /**
   * Sets the absolute progress. `total` and `message` are kept when omitted.
   * @throws {ProgressError} when `current` does not increase, is not a finite number >= 0, or exceeds the total.
   */
  report(current: number, total?: number, message?: string): void {
    this.#assertOpen();
    if (typeof current !== "number" || !Number.isFinite(current) || current < 0) {
      throw new ProgressError(
        "progress-invalid-number",
        `Progress must be a finite number >= 0, got ${describe(current)}.`,
        { current },
      );
    }
    if (this.#reported && current <= this.#current) {
      throw new ProgressError(
        "progress-not-increasing",
        `Progress must increase with every update: got ${current} after ${this.#current}.`,
        { current, previous: this.#current },
      );
    }
    const nextTotal = total === undefined ? this.#total : this.#checkTotal(total);
    if (nextTotal !== undefined && current > nextTotal) {
      throw new ProgressError(
        "progress-exceeds-total",
        `Progress ${current} exceeds the total ${nextTotal}.`,
        { current, total: nextTotal },
      );
    }
    if (message !== undefined) this.#checkMessage(message);
    this.#current = current;
    this.#total = nextTotal;
    if (message !== undefined) this.#message = messages.intern(message);
    this.#reported = true;
    this.#changed();
  }

  /**
   * Adds `by` (default 1) to the current progress.
   * @throws {ProgressError} when `by` is not a finite number > 0, or the result exceeds the total.
   */
  increment(by = 1): void {
    this.#assertOpen();
    if (typeof by !== "number" || !Number.isFinite(by) || by <= 0) {
      throw new ProgressError(
        by === 0 || (typeof by === "number" && by < 0)
          ? "progress-not-increasing"
          : "progress-invalid-number",
        `increment(by) needs a finite number > 0, got ${describe(by)}.`,
        { by },
      );
    }
    const next = this.#current + by;
    if (this.#total !== undefined && next > this.#total) {
      throw new ProgressError(
        "progress-exceeds-total",
        `Progress ${next} (${this.#current} + ${by}) exceeds the total ${this.#total}.`,
        { current: next, total: this.#total },
      );
    }
    this.#current = next;
    this.#reported = true;
    this.#changed();
  }

  /**
   * Sets how much work there is in all.
   * @throws {ProgressError} when `total` is not a finite number >= 0 or is below the current progress.
   */
  setTotal(total: number): void {
    this.#assertOpen();
    this.#total = this.#checkTotal(total);
    this.#changed();
  }

  /** Sets the human-readable status message. */
  setMessage(message: string): void {
    this.#assertOpen();
    this.#checkMessage(message);
    this.#message = messages.intern(message);
    this.#changed();
  }

  /** Delivers a pending change now. */
  flush(): void {
    this.#stop();
    this.#armed = false;
    if (this.#dirty) this.#deliver();
  }

  /** Flushes and stops accepting updates: the request is over. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
  }

  #checkTotal(total: number): number {
    if (typeof total !== "number" || !Number.isFinite(total) || total < 0) {
      throw new ProgressError(
        "progress-invalid-number",
        `Total must be a finite number >= 0, got ${describe(total)}.`,
        { total },
      );
    }
    if (total < this.#current) {
      throw new ProgressError(
        "progress-exceeds-total",
        `Total ${total} is below the current progress ${this.#current}.`,
        { current: this.#current, total },
      );
    }
    return total;
  }

  #checkMessage(message: string): void {
    if (typeof message !== "string") {
      throw new ProgressError(
        "progress-invalid-message",
        `Progress message must be a string, got ${typeof message}.`,
      );
    }
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new ProgressError(
        "progress-after-completion",
        "Progress was reported after the request completed; updates are only accepted while it runs.",
      );
    }
  }

  #changed(): void {
    if (this.#sink === undefined) return;
    this.#dirty = true;
    if (this.#armed) return;
    this.#armed = true;
    void settled.then(this.#tick);
  }

  // Bound once: no closure allocated per update.
  readonly #tick = (): void => {
    if (!this.#armed) return;
    if (this.#dirty && !this.#closed) {
      this.#deliver();
      if (this.#intervalMs > 0) {
        this.#arm();
        return;
      }
    }
    // Nothing changed for a whole interval: the timer stops until the next change.
    this.#stop();
    this.#armed = false;
  };

  /**
   * Starts the interval, unless its timer runs already. The timer repeats (`setInterval`) while
   * every interval brings a change, and stops at the first that brings none: a one-shot timer
   * re-armed after each delivery (`refresh`) gets new async ids each time (two heap numbers per
   * delivery, at thousands of tasks each reporting every interval), and one made per delivery
   * lives long enough to be promoted to the old generation.
   */
  #arm(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(this.#tick, this.#intervalMs);
    this.#timer.unref?.();
  }

  #stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #deliver(): void {
    this.#dirty = false;
    const sink = this.#sink;
    if (sink === undefined) return;
    try {
      if (sink.onProgressState !== undefined) {
        sink.onProgressState(this.#current, this.#total, this.#message, isoNow());
      } else sink.onProgress(this.snapshot());
    } catch (error) {
      if (this.#onSinkError !== undefined) this.#onSinkError(error);
      else this.#logger.error("progress listener threw", { error });
    }
  }
}
