import { type JsonRpcMessage, type JsonRpcRequest, messageJson } from "../../protocol/jsonrpc.js";
import { InvalidRequestError, isProtocolError, type ProtocolError } from "../../protocol/protocol-error.js";
import {
  hasEnvelope,
  headerMismatchError,
  httpStatusOf,
  mcpNameOf,
  type RequestEnvelope,
  readEnvelope,
  unsupportedVersionError,
} from "../../protocol/revisions/2026-07-28.js";
import {
  findStatelessRevision,
  isStatelessVersion,
  type ProtocolRevision,
  STATELESS_REVISIONS,
} from "../../protocol/revisions.js";
import type { MessageChannel, Session } from "../../server/session/session.js";
import type { SessionManager } from "../../server/session/session-manager.js";
import { afterTask } from "../../util/after-task.js";
import { decodeHeaderValue } from "../../util/header-value.js";
import type { HttpExchange } from "./exchange.js";
import { refuse } from "./http-refusal.js";
import { SESSION_HEADER } from "./http-session.js";
import { ACCEPTS_JSON, ACCEPTS_SSE, acceptedTypes } from "./media-type.js";
import { SSE_KEEPALIVE, type SseWriter } from "./sse-writer.js";

const VERSION_HEADER = "mcp-protocol-version";
const JSON_HEADERS = { "content-type": "application/json" };
const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };
const SUPPORTED = STATELESS_REVISIONS.map((revision) => revision.version);

/**
 * Whether a POSTed request is a stateless (2026-07-28) one: its `_meta` carries the protocol
 * version (the spec's rule). Without that key, a request with no session that names a stateless
 * revision in its header, or asks `server/discover`, is one too, so its missing `_meta` is
 * answered as a stateless request's (`-32602`) rather than as a missing session.
 */
export function isStatelessPost(exchange: HttpExchange, request: JsonRpcRequest): boolean {
  if (hasEnvelope(request.params)) return true;
  if (exchange.header(SESSION_HEADER) !== undefined) return false;
  const version = exchange.header(VERSION_HEADER)?.trim();
  return request.method === "server/discover" || (version !== undefined && isStatelessVersion(version));
}

/**
 * Whether a POSTed notification is a stateless one (its `_meta` names a protocol version, and no
 * session is named): accepted with 202 and dropped, as the revision has nothing for it to act on
 * (cancellation is closing the request's response).
 */
export function isStatelessNotification(exchange: HttpExchange, message: JsonRpcMessage): boolean {
  return (
    "method" in message &&
    !("id" in message) &&
    exchange.header(SESSION_HEADER) === undefined &&
    hasEnvelope(message.params)
  );
}

/** Whether a GET or DELETE is addressed as a stateless revision's (no session, a stateless header). */
export function isStatelessBodiless(exchange: HttpExchange): boolean {
  const version = exchange.header(VERSION_HEADER)?.trim();
  return (
    exchange.header(SESSION_HEADER) === undefined && version !== undefined && isStatelessVersion(version)
  );
}

/**
 * Answers one stateless request over HTTP: checks its envelope and standard headers, serves it on
 * a session-like context of its own (no session id, nothing kept), and answers with JSON, or
 * with SSE once the handler sends something (progress, a log) before its result. The client
 * closing the request's connection cancels the request (`ctx.signal` aborts): noticed from the
 * next turn of the event loop on, so a request answered within its first turn costs no listener.
 * An open SSE answer (a `subscriptions/listen` stream, a long call's progress) gets a keep-alive
 * comment every `keepAliveMs` (0: none), so proxies do not cut it while it is quiet.
 */
export async function answerStateless(
  sessions: SessionManager,
  exchange: HttpExchange,
  request: JsonRpcRequest,
  owner: string | undefined,
  keepAliveMs = 0,
): Promise<void> {
  let envelope: RequestEnvelope;
  let revision: ProtocolRevision;
  try {
    envelope = readEnvelope(request.params);
    revision = checkHeaders(exchange, request, envelope);
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    return refuse(exchange, request.id, error);
  }
  const accepted = acceptedTypes(exchange.header("accept") ?? "");
  if ((accepted & (ACCEPTS_JSON | ACCEPTS_SSE)) === 0) {
    return refuse(exchange, request.id, notAcceptable());
  }
  const response = new StatelessResponse(exchange, keepAliveMs);
  const session = sessions.openStateless(revision, envelope, response, owner);
  response.session = session;
  // A client that takes only SSE gets its stream at once.
  if ((accepted & ACCEPTS_JSON) === 0) response.open();
  // Its leaving cancels the request from the next turn of the event loop on: one answered before
  // then (an echo) never registers a listener, and one the client left meanwhile is cancelled then.
  if (watchLater.push(response) === 1) afterTask(watchPending);
  try {
    const answer = await session.handle(request, exchange);
    response.finish(answer === undefined ? undefined : messageJson(answer), answer);
  } finally {
    response.stopKeepAlive();
  }
}

/** This turn's stateless responses, watched for their client leaving on the next turn unless answered. */
let watchLater: StatelessResponse[] = [];

// One callback per event-loop turn for all of the turn's requests, not one per request.
function watchPending(): void {
  const responses = watchLater;
  watchLater = [];
  for (const response of responses) response.watch();
}

/**
 * `MCP-Protocol-Version` must equal the envelope's version, which must be one served here;
 * `Mcp-Method` must equal the method, and `Mcp-Name` the body value it mirrors (SEP-2243).
 * Header values are trimmed (HTTP optional whitespace), compared case-sensitively. The
 * `Mcp-Param-*` headers are checked by `tools/call`, which knows the tool's parameters.
 * @throws {ProtocolError} `header-mismatch` (-32020) or `protocol-version-unsupported` (-32022).
 */
function checkHeaders(
  exchange: HttpExchange,
  request: JsonRpcRequest,
  envelope: RequestEnvelope,
): ProtocolRevision {
  const version = envelope.protocolVersion;
  const sentVersion = exchange.header(VERSION_HEADER)?.trim();
  if (sentVersion !== version) throw headerMismatchError("MCP-Protocol-Version", sentVersion, version);
  const revision = findStatelessRevision(version);
  if (revision === undefined) throw unsupportedVersionError(version, SUPPORTED);
  const sentMethod = exchange.header("mcp-method")?.trim();
  if (sentMethod !== request.method) throw headerMismatchError("Mcp-Method", sentMethod, request.method);
  const name = mcpNameOf(request.method, request.params);
  if (name !== undefined) {
    const sent = exchange.header("mcp-name")?.trim();
    if (sent === undefined || decodeHeaderValue(sent) !== name)
      throw headerMismatchError("Mcp-Name", sent, name);
  }
  return revision;
}

function notAcceptable(): ProtocolError {
  return new InvalidRequestError(
    "Accept must include application/json or text/event-stream.",
    "not-acceptable",
  );
}

/**
 * One stateless request's response, and the channel of its session: JSON unless a message goes
 * out before the answer, which opens SSE (no event ids: nothing to resume, there is no session).
 */
class StatelessResponse implements MessageChannel {
  readonly #exchange: HttpExchange;
  readonly #keepAliveMs: number;
  /** The request's session: closed when the client leaves before the answer. */
  session: Session | undefined = undefined;
  #sse: SseWriter | undefined;
  #done = false;
  /** Set once the client's leaving is listened for ({@link watch}). */
  #leave: (() => void) | undefined = undefined;
  /** Writes the keep-alive comments while the SSE answer is open. */
  #keepAlive: ReturnType<typeof setInterval> | undefined = undefined;

  constructor(exchange: HttpExchange, keepAliveMs: number) {
    this.#exchange = exchange;
    this.#keepAliveMs = keepAliveMs;
  }

  /**
   * Listens for the client leaving before the answer (the exchange closing, or the SSE stream):
   * the session closes, which cancels the request (`ctx.signal` aborts). A client that left
   * already cancels it now. Nothing to do once answered.
   */
  watch(): void {
    if (this.#done || this.#leave !== undefined) return;
    const leave = (): void => this.session?.close("The client closed the request's connection.");
    this.#leave = leave;
    this.#exchange.onClose?.(leave);
    this.#sse?.onClose(leave);
  }

  /** Opens the SSE response, unless already open or answered. */
  open(): SseWriter | undefined {
    if (this.#sse === undefined && !this.#done) {
      const sse = this.#exchange.startSse(SSE_HEADERS);
      this.#sse = sse;
      if (this.#leave !== undefined) sse.onClose(this.#leave);
      if (this.#keepAliveMs > 0) {
        // A congested stream is not idle: it needs no comment, and gets none on top.
        this.#keepAlive = setInterval(() => {
          if (sse.congested !== true) sse.write(SSE_KEEPALIVE);
        }, this.#keepAliveMs);
        this.#keepAlive.unref?.();
      }
    }
    return this.#sse;
  }

  send(message: JsonRpcMessage): void {
    if (this.#done) return;
    this.open()?.write(`event: message\ndata: ${messageJson(message)}\n\n`);
  }

  /** The SSE writer's backpressure (a long-lived `subscriptions/listen` stream holds back on it). */
  get congested(): boolean {
    return this.#sse?.congested === true;
  }

  onDrain(callback: () => void): void {
    const sse = this.#sse;
    if (sse?.onDrain === undefined) callback();
    else sse.onDrain(callback);
  }

  /** Stops the keep-alive comments (the answer is written, or will never be). */
  stopKeepAlive(): void {
    if (this.#keepAlive === undefined) return;
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
  }

  /** Writes the answer (as JSON, or as the stream's last event) and ends the response. */
  finish(json: string | undefined, answer: JsonRpcMessage | undefined): void {
    const sse = this.#sse;
    this.#done = true;
    this.stopKeepAlive();
    if (sse !== undefined) {
      if (json !== undefined) sse.write(`event: message\ndata: ${json}\n\n`);
      sse.end();
      return;
    }
    // Cancelled (the client left): nobody is there to read an answer.
    if (answer === undefined) {
      this.#exchange.respond(202, {});
      return;
    }
    const error = "error" in answer ? answer.error : undefined;
    this.#exchange.respond(error === undefined ? 200 : httpStatusOf(error), JSON_HEADERS, json);
  }
}
