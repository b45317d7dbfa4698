import { awaitTimeoutError, within } from "./await-within.js";
import type { TaskRecord } from "./task-record.js";
import { isTerminalStatus } from "./task-status.js";

/** How {@link pollTerminal} waits. */
export interface PollTerminalOptions {
  taskId: string;
  /** Milliseconds between two reads. */
  interval: number;
  /** A `Date.now()` time after which it rejects (Infinity for none). */
  deadline: number;
  /** The caller's time limit, for the timeout error's message. */
  timeoutMs: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Waits for a task another process runs (nothing here settles when it ends): reads its record
 * with `get` every `interval` until it is terminal. Rejects with `FMCP_ERR_TASK_AWAIT_TIMEOUT`
 * past the deadline, or with the signal's reason when it aborts.
 */
export async function pollTerminal(
  get: () => Promise<TaskRecord>,
  { taskId, interval, deadline, timeoutMs, signal }: PollTerminalOptions,
): Promise<TaskRecord> {
  for (;;) {
    const wait = Math.min(interval, deadline - Date.now());
    if (wait <= 0) throw awaitTimeoutError(taskId, timeoutMs);
    await within(
      new Promise((resolve) => setTimeout(resolve, wait)),
      deadline,
      () => awaitTimeoutError(taskId, timeoutMs),
      signal,
    );
    const current = await get();
    if (isTerminalStatus(current.status)) return current;
  }
}
