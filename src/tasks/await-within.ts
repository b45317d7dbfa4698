import { FastestMcpError } from "../errors.js";

/**
 * `promise`, unless `deadline` (a `Date.now()` time; Infinity for none) passes first (rejects
 * with `timeout()`) or `signal` aborts (rejects with its reason). Nothing is armed without a
 * deadline or signal.
 */
export async function within<T>(
  promise: Promise<T>,
  deadline: number,
  timeout: () => Error,
  signal?: AbortSignal,
): Promise<T> {
  if (deadline === Number.POSITIVE_INFINITY && signal === undefined) return promise;
  signal?.throwIfAborted();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    if (deadline !== Number.POSITIVE_INFINITY) {
      timer = setTimeout(() => reject(timeout()), Math.max(0, deadline - Date.now()));
    }
    if (signal !== undefined) {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([promise, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  }
}

/** What waiting for a task past its time limit rejects with. */
export function awaitTimeoutError(taskId: string, timeoutMs: number | undefined): FastestMcpError {
  return new FastestMcpError(
    "FMCP_ERR_TASK_AWAIT_TIMEOUT",
    `Task ${taskId} did not finish within ${timeoutMs} ms; it keeps running (cancel it to stop it).`,
  );
}
