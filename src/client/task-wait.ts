import { CancelledError } from "../errors.js";
import { isProtocolError } from "../protocol/protocol-error.js";
import { type DeadlineLimits, RequestDeadline } from "./request-deadline.js";

/** Options of waiting for a task (`RemoteTask.wait`, `RemoteTask.result`, `client.taskResult`). */
export interface TaskWaitOptions {
  /**
   * Idle limit in ms: the wait gives up when the task shows no sign of life (progress, a status
   * change) for this long. Default: none, a task may legitimately run for hours.
   */
  timeout?: number;
  /** Hard cap on the whole wait in ms, progress or not. Default: none. */
  maxTotalTimeout?: number;
  /** Stops waiting (the task keeps running) and rejects with `CancelledError`. */
  signal?: AbortSignal;
}

/** Transport failures after which asking again can succeed: `tasks/result` is idempotent. */
const RECONNECTABLE = new Set(["stream-lost", "connection-failed"]);
/** Attempts after the first for a `tasks/result` whose connection broke. */
export const TASK_RESULT_RETRIES = 3;
const RETRY_BASE_MS = 250;

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * The limits of one wait for a task. On expiry it cancels the task (`tasks/cancel`, through
 * `cancel`: a task is not cancelled with `notifications/cancelled`) and aborts {@link signal},
 * so whatever request is in flight stops; {@link failure} then turns that abort into the
 * `RequestTimeoutError` that names the limit.
 */
export class TaskWait {
  readonly #controller = new AbortController();
  readonly #deadline: RequestDeadline;
  readonly #user: AbortSignal | undefined;
  readonly #onUserAbort = (): void =>
    this.#controller.abort(
      new CancelledError("The wait for the task was cancelled.", { cause: this.#user?.reason }),
    );

  constructor(what: string, options: TaskWaitOptions, cancel: () => void) {
    const limits: DeadlineLimits = { timeout: options.timeout, maxTotalTimeout: options.maxTotalTimeout };
    this.#deadline = new RequestDeadline(what, limits, (error) => {
      cancel();
      this.#controller.abort(error);
    });
    this.#user = options.signal;
    if (this.#user?.aborted) this.#onUserAbort();
    else this.#user?.addEventListener("abort", this.#onUserAbort, { once: true });
  }

  /** Aborts when the wait ends early (a limit expired or the caller's signal aborted). */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The task showed it is alive: restart the idle limit. */
  touch(): void {
    this.#deadline.touch();
  }

  /** The error to reject with: the reason the wait ended early, else `error` itself. */
  failure(error: unknown): unknown {
    return this.#controller.signal.aborted ? this.#controller.signal.reason : error;
  }

  /** Stops the timers and the signal listener. */
  end(): void {
    this.#deadline.clear();
    this.#user?.removeEventListener("abort", this.#onUserAbort);
  }
}

/**
 * Runs `attempt` (one `tasks/result`) and asks again when the connection broke under it
 * (`stream-lost`, `connection-failed`), after 250 ms, 500 ms, 1 s: the result is kept by the server
 * until the task's TTL, so a blocking wait survives a dropped connection.
 */
export async function retryOnLostConnection<T>(attempt: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const reconnectable = isProtocolError(error) && RECONNECTABLE.has(error.reason);
      if (!reconnectable || retry >= TASK_RESULT_RETRIES || signal.aborted) throw error;
      await pause(RETRY_BASE_MS * 2 ** retry, signal);
    }
  }
}
