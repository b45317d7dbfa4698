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
  /**
   * Registers `wake`, called when an event says the task may have ended (the event bus): the
   * record is read at once instead of at the next interval. Returns the function that removes it.
   * With it, the record is read once more right after registering, so an event that came between
   * the caller's read and the registration is not waited out.
   */
  subscribe?: ((wake: () => void) => () => void) | undefined;
}

/**
 * Waits for a task another process runs (nothing here settles when it ends): reads its record
 * with `get` every `interval`, and whenever `subscribe`'s wake is called, until it is terminal.
 * Rejects with `FMCP_ERR_TASK_AWAIT_TIMEOUT` past the deadline, or with the signal's reason when
 * it aborts.
 */
export async function pollTerminal(
  get: () => Promise<TaskRecord>,
  { taskId, interval, deadline, timeoutMs, signal, subscribe }: PollTerminalOptions,
): Promise<TaskRecord> {
  let woken = false;
  let wakeNow: (() => void) | undefined;
  const unsubscribe = subscribe?.(() => {
    woken = true;
    wakeNow?.();
  });
  woken = unsubscribe !== undefined;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const wait = Math.min(interval, deadline - Date.now());
      if (wait <= 0) throw awaitTimeoutError(taskId, timeoutMs);
      if (!woken) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await within(
          new Promise<void>((resolve) => {
            wakeNow = resolve;
            timer = setTimeout(resolve, wait);
          }),
          deadline,
          () => awaitTimeoutError(taskId, timeoutMs),
          signal,
        ).finally(() => {
          clearTimeout(timer);
          wakeNow = undefined;
        });
      }
      woken = false;
      const current = await get();
      if (isTerminalStatus(current.status)) return current;
    }
  } finally {
    unsubscribe?.();
  }
}
