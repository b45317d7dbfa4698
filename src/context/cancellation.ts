/**
 * @internal The one cancellation primitive of a request, a tool call or a task run: an
 * AbortController built only when someone asks for its signal (or aborts it), plus one listener
 * slot that calls back without building it. Most requests end without either, and a controller
 * with its signal and a listener costs several µs, a large part of a small call.
 */
export class Cancellation {
  #controller: AbortController | undefined = undefined;
  #listener: (() => void) | undefined = undefined;

  /** The signal, built on first use (already aborted when `abort` came first). */
  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** Whether it aborted, without building the signal. */
  get aborted(): boolean {
    return this.#controller?.signal.aborted === true;
  }

  /** Why it aborted (`undefined` while it has not). */
  get reason(): unknown {
    return this.#controller?.signal.reason;
  }

  /** Aborts (once; later calls change nothing): the signal's listeners run, then the slot's. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.#controller ??= new AbortController();
    this.#controller.abort(reason);
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.();
  }

  /**
   * Calls `listener` once when this aborts, at once when it already has. The first listener
   * takes the slot (no signal built); any further one listens on the signal.
   */
  onAbort(listener: () => void): void {
    if (this.aborted) listener();
    else if (this.#listener === undefined) this.#listener = listener;
    else this.signal.addEventListener("abort", listener, { once: true });
  }

  /** Detaches a listener given to {@link onAbort}. */
  offAbort(listener: () => void): void {
    if (this.#listener === listener) this.#listener = undefined;
    else this.#controller?.signal.removeEventListener("abort", listener);
  }

  /**
   * Settles as `pending` does, unless this aborts first: then it rejects at once with
   * `cancelled(reason)`, and whatever `pending` does later is ignored. The rejection happens
   * inside `abort`, so a handler that settles when its signal aborts cannot win the race.
   */
  race<T>(pending: PromiseLike<T>, cancelled: (reason: unknown) => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      pending.then(resolve, reject);
      // Left attached when `pending` settles first: the scope it belongs to ends with the call.
      this.onAbort(() => reject(cancelled(this.reason)));
    });
  }
}
