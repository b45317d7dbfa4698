import { Context } from "../context/context.js";
import type { LogEntry } from "../context/logger.js";
import type { ProgressUpdate } from "../context/progress-sink.js";
import { CancelledError } from "../errors.js";
import type { LogLevel } from "../protocol/mcp-types.js";
import type { RequestScope } from "./request-scope.js";

function cancelledError(what: string) {
  return (reason: unknown) => new CancelledError(`${what} was cancelled.`, { cause: reason });
}

/**
 * Runs `run` with a {@link Context} on `scope` and always closes the scope's progress tracker
 * (so the final progress is delivered before the result). `what` names the handler in errors.
 * @throws {CancelledError} when the request was cancelled already, or is cancelled before an async handler settles.
 */
export async function withContext<T>(
  scope: RequestScope,
  what: string,
  run: (ctx: Context) => T | Promise<T>,
): Promise<T> {
  if (scope.aborted) {
    throw new CancelledError(`${what} was cancelled before it started.`, { cause: scope.reason });
  }
  try {
    const pending = run(new Context(scope));
    // Only async handlers pay for the race.
    if (!(pending instanceof Promise) || !scope.abortable) return await pending;
    return await scope.race(pending, cancelledError(what));
  } finally {
    scope.close();
  }
}

/** Options of an in-process `readResource` / `getPrompt`. */
export interface LocalRequestOptions {
  /** Receives the handler's progress. */
  onProgress?: (update: ProgressUpdate) => void;
  /** Receives the handler's `ctx.log` entries at or above `logLevel`. */
  onLog?: (entry: LogEntry) => void;
  /** Lowest level passed to `onLog` (default `"debug"`). */
  logLevel?: LogLevel;
  /** Cancels the call: `ctx.signal` aborts and the call rejects with a `CancelledError`. */
  signal?: AbortSignal;
}
