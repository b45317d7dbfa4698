import type { LogSink } from "../../context/logger.js";
import type { ProgressSink } from "../../context/progress-sink.js";
import type { JsonRpcId } from "../../protocol/jsonrpc.js";
import type { LogLevel, ProgressToken } from "../../protocol/mcp-types.js";
import { InvalidParamsError } from "../../protocol/protocol-error.js";
import type { DiagnosticLogger } from "../../util/diagnostics.js";
import type { HandlerCall } from "../handler-context.js";
import { objectParam, type RequestCall } from "../request-handler.js";
import type { Session } from "../session.js";
import { WireLogSink, WireProgressSink } from "../wire-sinks.js";

/**
 * What every handler call over the wire shares: who asks, on which session, and sinks built when
 * the handler first logs or reports progress (read lazily by the context), not per request.
 */
export class WireRequestScope {
  readonly requestId: JsonRpcId;
  readonly serverName: string;
  readonly sessionId: string;
  readonly progressIntervalMs: number;
  readonly logLevel: LogLevel;
  readonly logger: DiagnosticLogger;
  protected readonly session: Session;
  readonly #token: ProgressToken | undefined;

  constructor(call: RequestCall, token: ProgressToken | undefined) {
    const { core, session } = call;
    this.requestId = call.request.id;
    this.serverName = core.name;
    this.sessionId = session.id;
    this.progressIntervalMs = core.progressIntervalMs;
    this.logLevel = session.logLevel;
    this.logger = core.logger;
    this.session = session;
    this.#token = token;
  }

  get progressSink(): ProgressSink | undefined {
    const token = this.#token;
    return token === undefined ? undefined : new WireProgressSink(this.session, token, this.requestId);
  }

  get logSink(): LogSink {
    return new WireLogSink(this.session, this.requestId);
  }
}

/** A wire request to a resource or prompt handler as {@link HandlerCall}. */
class WireHandlerCall extends WireRequestScope implements HandlerCall {
  readonly #call: RequestCall;

  constructor(call: RequestCall, token: ProgressToken | undefined) {
    super(call, token);
    this.#call = call;
  }

  /** Read only when needed: the call's AbortController is built on first use. */
  get signal(): AbortSignal {
    return this.#call.signal;
  }

  /** The wire call itself: it calls back on cancellation without building a signal. */
  get cancellation(): RequestCall {
    return this.#call;
  }
}

/**
 * The request's `_meta.progressToken`, if any.
 * @throws {InvalidParamsError} when it is neither a string nor a number.
 */
export function progressTokenOf(call: RequestCall): ProgressToken | undefined {
  const token = objectParam(call, "_meta")?.progressToken;
  if (token !== undefined && typeof token !== "string" && typeof token !== "number") {
    throw new InvalidParamsError(
      "_meta.progressToken must be a string or a number.",
      "invalid-progress-token",
    );
  }
  return token;
}

/**
 * The {@link HandlerCall} of a wire request to a resource or prompt handler: its `ctx.log` goes
 * to the session as `notifications/message`, its progress to `_meta.progressToken` when the
 * client sent one, and `ctx.signal` aborts on `notifications/cancelled`.
 */
export function wireHandlerCall(call: RequestCall): HandlerCall {
  return new WireHandlerCall(call, progressTokenOf(call));
}
