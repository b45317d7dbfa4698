import { Context } from "../context/context.js";
import { type LogEntry, Logger, type LogSink } from "../context/logger.js";
import type { ProgressSink, ProgressUpdate } from "../context/progress-sink.js";
import { ProgressTracker } from "../context/progress-tracker.js";
import { CancelledError } from "../errors.js";
import type { LogLevel, RequestId } from "../protocol/mcp-types.js";

/** Who asks, for a handler other than a tool's (resource read, prompt get). */
export interface HandlerCall {
  requestId: RequestId;
  serverName: string;
  sessionId?: string | undefined;
  progressSink?: ProgressSink | undefined;
  progressIntervalMs?: number | undefined;
  logSink?: LogSink | undefined;
  logLevel?: LogLevel | undefined;
  /** The caller's cancellation: `ctx.signal` follows it and the call rejects when it aborts. */
  signal?: AbortSignal | undefined;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * Runs `run` with a fresh {@link Context} for `call` and always closes its progress tracker (so
 * the final progress is delivered before the result). `what` names the handler in errors.
 * @throws {CancelledError} when `call.signal` is already aborted, or aborts before an async handler settles.
 */
export async function withContext<T>(
  call: HandlerCall,
  what: string,
  run: (ctx: Context) => T | Promise<T>,
): Promise<T> {
  const { signal } = call;
  if (signal?.aborted) {
    throw new CancelledError(`${what} was cancelled before it started.`, { cause: signal.reason });
  }
  const tracker = new ProgressTracker({ sink: call.progressSink, intervalMs: call.progressIntervalMs });
  // ctx.signal is our own, aborted after the call has already rejected: a handler that settles
  // when its signal aborts cannot win the race against the cancellation.
  const controller = signal === undefined ? undefined : new AbortController();
  const ctx = new Context({
    requestId: call.requestId,
    sessionId: call.sessionId,
    serverName: call.serverName,
    signal: controller?.signal ?? NEVER_ABORTED,
    log: new Logger(call.logSink, call.serverName, call.logLevel),
    tracker,
  });
  let onAbort: (() => void) | undefined;
  try {
    const pending = run(ctx);
    if (!(pending instanceof Promise) || signal === undefined || controller === undefined)
      return await pending;
    // Only async handlers with a signal pay for the race.
    pending.catch(() => undefined);
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        const error = new CancelledError(`${what} was cancelled.`, { cause: signal.reason });
        reject(error);
        controller.abort(error);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
    return await Promise.race([pending, aborted]);
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
    tracker.close();
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

/** The {@link HandlerCall} of an in-process request. */
export function localHandlerCall(
  options: LocalRequestOptions,
  requestId: RequestId,
  serverName: string,
  progressIntervalMs: number,
): HandlerCall {
  const { onProgress, onLog } = options;
  return {
    requestId,
    serverName,
    progressSink: onProgress ? { onProgress } : undefined,
    progressIntervalMs,
    logSink: onLog ? { onLog } : undefined,
    logLevel: options.logLevel,
    signal: options.signal,
  };
}
