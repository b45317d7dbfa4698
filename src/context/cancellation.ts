import type { Cancellation } from "./context.js";

/**
 * @internal A {@link Cancellation} that can call back when it aborts without building its
 * AbortSignal (the wire's requests): an AbortController with a listener costs several µs per
 * call, and most calls are never cancelled.
 */
export interface AbortListenable extends Cancellation {
  /**
   * Sets the one function called (once) when the call aborts; `undefined` removes it. Returns
   * false, setting nothing, when another listener is set already.
   */
  listenForAbort(listener: (() => void) | undefined): boolean;
}

function listenable(cancellation: Cancellation): cancellation is AbortListenable {
  return typeof (cancellation as Partial<AbortListenable>).listenForAbort === "function";
}

/**
 * @internal Calls `listener` once when `cancel` aborts; returns the function that detaches it.
 * Uses the cancellation's listener slot when it has a free one, else its signal.
 */
export function onCancel(cancel: Cancellation, listener: () => void): () => void {
  if (listenable(cancel) && cancel.listenForAbort(listener)) return () => cancel.listenForAbort(undefined);
  const signal = cancel.signal;
  signal.addEventListener("abort", listener, { once: true });
  return () => signal.removeEventListener("abort", listener);
}
