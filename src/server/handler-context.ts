import { onCancel } from "../context/cancellation.js";
import {
  type Cancellation,
  Context,
  LazyAbortController,
  LazyContextInit,
  SignalCancellation,
} from "../context/context.js";
import type { LogEntry, LogSink } from "../context/logger.js";
import type { ProgressSink, ProgressUpdate } from "../context/progress-sink.js";
import { CancelledError } from "../errors.js";
import type { LogLevel, RequestId } from "../protocol/mcp-types.js";
import type { DiagnosticLogger } from "../util/diagnostics.js";

/** Who asks, for any handler (resource read, prompt get; a tool call adds to it: ToolInvocation). */
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
  /** The caller's cancellation when its signal is built on demand (the wire's); used instead of `signal`. */
  cancellation?: Cancellation | undefined;
  /** Where a throwing progress or log listener is reported (the server's `logger`). */
  logger?: DiagnosticLogger | undefined;
}

/**
 * Runs `run` with a fresh {@link Context} for `call` and always closes its progress tracker (so
 * the final progress is delivered before the result). `what` names the handler in errors.
 * @throws {CancelledError} when the call's cancellation has already fired, or fires before an async handler settles.
 */
export async function withContext<T>(
  call: HandlerCall,
  what: string,
  run: (ctx: Context) => T | Promise<T>,
): Promise<T> {
  const external =
    call.cancellation ?? (call.signal === undefined ? undefined : new SignalCancellation(call.signal));
  if (external?.aborted) {
    throw new CancelledError(`${what} was cancelled before it started.`, { cause: external.reason });
  }
  // ctx.signal is our own, aborted after the call has already rejected: a handler that settles
  // when its signal aborts cannot win the race against the cancellation. Built on first use.
  const own = external === undefined ? undefined : new LazyAbortController();
  const init = new LazyContextInit(call, own);
  let stopRace: (() => void) | undefined;
  try {
    const pending = run(new Context(init));
    if (!(pending instanceof Promise) || external === undefined || own === undefined) return await pending;
    // Only async handlers with a cancellation pay for the race.
    pending.catch(() => undefined);
    const aborted = new Promise<never>((_, reject) => {
      stopRace = onCancel(external, () => {
        const error = new CancelledError(`${what} was cancelled.`, { cause: external.reason });
        reject(error);
        own.abort(error);
      });
    });
    return await Promise.race([pending, aborted]);
  } finally {
    stopRace?.();
    init.close();
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
  logger?: DiagnosticLogger,
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
    logger,
  };
}
