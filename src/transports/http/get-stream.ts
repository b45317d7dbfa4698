import { InvalidRequestError, ProtocolError } from "../../protocol/protocol-error.js";
import { quote } from "../../protocol/quote.js";
import type { DiagnosticLogger } from "../../util/diagnostics.js";
import type { HttpExchange } from "./exchange.js";
import { invalidEventIdError } from "./header-rules.js";
import type { HttpSession } from "./http-session.js";
import { LogFedStream } from "./log-fed-stream.js";
import type { SharedHttpSessions } from "./shared-http-sessions.js";
import { parseEventId } from "./sse-stream.js";

/**
 * A GET on a known session: the standalone stream, or with `Last-Event-ID` the stream that event
 * belongs to, replayed after it and then live. Returns the refusal to answer with (400 for an
 * event id that is not one of ours, 404 for a stream no longer kept, 409 for a second standalone
 * connection); a shared session's stream is served from the backend's log (a promise then).
 */
export function openGetStream(
  exchange: HttpExchange,
  http: HttpSession,
  shared: SharedHttpSessions | undefined,
  logger: DiagnosticLogger,
  fail: (error: ProtocolError) => void,
): ProtocolError | Promise<void> | undefined {
  const lastEventId = exchange.header("last-event-id");
  const resume = lastEventId === undefined ? undefined : parseEventId(lastEventId);
  if (lastEventId !== undefined && resume === undefined) return invalidEventIdError(lastEventId);
  const stream =
    resume === undefined
      ? http.standalone
      : (http.stream(resume.streamId) ?? http.followStream(resume.streamId, logger));
  if (stream === undefined) {
    return new InvalidRequestError(
      `Unknown Last-Event-ID ${quote(lastEventId)}: its stream is no longer kept.`,
      "unknown-event-id",
    );
  }
  if (resume === undefined && stream.connected) return new ProtocolError("stream-conflict");
  // A shared session's stream (the standalone one, or another instance's): from the backend's log.
  if (stream instanceof LogFedStream) return shared?.serve(exchange, http, stream, resume?.seq, fail);
  stream.attach(exchange.startSse(http.sseHeaders), resume?.seq);
  return undefined;
}
