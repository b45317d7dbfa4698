import { Context } from "../../context/context.js";
import { CancelledError } from "../../errors.js";
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
