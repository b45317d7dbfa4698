import { RequestTimeoutError } from "../protocol/protocol-error.js";

/** The two limits of a client call, in ms; `0`, `undefined` or `Infinity` disable one. */
export interface DeadlineLimits {
  /** Idle limit: restarted by {@link RequestDeadline.touch} (each progress notification). */
  timeout?: number | undefined;
  /** Hard cap from the start, never extended. */
  maxTotalTimeout?: number | undefined;
}

function active(ms: number | undefined): ms is number {
  return ms !== undefined && ms > 0 && Number.isFinite(ms);
}

/**
 * The timers of one client call: an idle timer that progress restarts (a call that keeps
 * reporting is alive, however long it runs) and a hard cap that nothing extends. When either
 * fires, `onExpire` gets a `RequestTimeoutError` whose reason and `data.limit` name the limit:
 * `request-timeout` / `"timeout"` or `request-total-timeout` / `"maxTotalTimeout"`.
 */
export class RequestDeadline {
  readonly #what: string;
  readonly #limits: DeadlineLimits;
  readonly #onExpire: (error: RequestTimeoutError) => void;
  #idle: ReturnType<typeof setTimeout> | undefined;
  #total: ReturnType<typeof setTimeout> | undefined;
  #done = false;

  /** `what` names the call in the message (e.g. `tools/call`); timers start at once. */
  constructor(what: string, limits: DeadlineLimits, onExpire: (error: RequestTimeoutError) => void) {
    this.#what = what;
    this.#limits = limits;
    this.#onExpire = onExpire;
    const { maxTotalTimeout } = limits;
    if (active(maxTotalTimeout)) {
      this.#total = setTimeout(() => {
        const message = `${what} ran past its maxTotalTimeout of ${maxTotalTimeout} ms.`;
        const data = { method: what, limit: "maxTotalTimeout" };
        this.#expire(new RequestTimeoutError(message, maxTotalTimeout, data, "request-total-timeout"));
      }, maxTotalTimeout);
    }
    this.touch();
  }

  /** Restarts the idle timer: the call showed it is alive. */
  touch(): void {
    if (this.#done) return;
    clearTimeout(this.#idle);
    const { timeout } = this.#limits;
    if (!active(timeout)) return;
    this.#idle = setTimeout(() => {
      const message = `${this.#what} got no answer and no progress for ${timeout} ms (its timeout).`;
      this.#expire(new RequestTimeoutError(message, timeout, { method: this.#what, limit: "timeout" }));
    }, timeout);
  }

  /** Stops both timers (the call ended). */
  clear(): void {
    this.#done = true;
    clearTimeout(this.#idle);
    clearTimeout(this.#total);
  }

  #expire(error: RequestTimeoutError): void {
    if (this.#done) return;
    this.clear();
    this.#onExpire(error);
  }
}
