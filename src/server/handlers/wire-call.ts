import { InvalidParamsError } from "../../protocol/protocol-error.js";
import type { HandlerCall } from "../handler-context.js";
import { objectParam, type RequestCall } from "../request-handler.js";
import { WireLogSink, WireProgressSink } from "../wire-sinks.js";

/**
 * The {@link HandlerCall} of a wire request to a resource or prompt handler: its `ctx.log` goes
 * to the session as `notifications/message`, its progress to `_meta.progressToken` when the
 * client sent one, and `ctx.signal` aborts on `notifications/cancelled`.
 */
export function wireHandlerCall(call: RequestCall): HandlerCall {
  const { core, session, request, signal } = call;
  const token = objectParam(call, "_meta")?.progressToken;
  if (token !== undefined && typeof token !== "string" && typeof token !== "number") {
    throw new InvalidParamsError(
      "_meta.progressToken must be a string or a number.",
      "invalid-progress-token",
    );
  }
  return {
    requestId: request.id,
    serverName: core.name,
    sessionId: session.id,
    progressSink: token === undefined ? undefined : new WireProgressSink(session, token, request.id),
    progressIntervalMs: core.progressIntervalMs,
    logSink: new WireLogSink(session, request.id),
    logLevel: session.logLevel,
    signal,
  };
}
