import { WIRE_ERRORS } from "../../protocol/error-reasons.js";
import {
  errorResponse,
  isRequest,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcRequest,
  parseJsonRpc,
  readableId,
} from "../../protocol/jsonrpc.js";
import {
  InvalidRequestError,
  isProtocolError,
  ProtocolError,
  toJsonRpcError,
} from "../../protocol/protocol-error.js";
import type { SessionManager } from "../../server/session/session-manager.js";
import { type DiagnosticLogger, stderrLogger } from "../../util/diagnostics.js";
import { BodyTooLargeError, type HttpExchange } from "./exchange.js";
import { openGetStream } from "./get-stream.js";
import { contentTypeError, protocolVersionError } from "./header-rules.js";
import { HttpAuth } from "./http-auth.js";
import { methodNotAllowed, refuse } from "./http-refusal.js";
import { HttpSession, type HttpSessionLimits, SESSION_HEADER } from "./http-session.js";
import { endIdleSessions } from "./idle-sweep.js";
import { ACCEPTS_JSON, ACCEPTS_SSE, acceptedTypes, PREFERS_JSON } from "./media-type.js";
import { RequestGuard } from "./request-guard.js";
import { RequestResponder } from "./request-responder.js";
import { SharedHttpSessions, storeRefusal } from "./shared-http-sessions.js";
import { SSE_KEEPALIVE } from "./sse-writer.js";
import {
  answerStateless,
  isStatelessBodiless,
  isStatelessNotification,
  isStatelessPost,
} from "./stateless-http.js";
import type { StreamableHttpOptions } from "./streamable-http-options.js";

export type { StreamableHttpOptions };

const VERSION_HEADER = "mcp-protocol-version";
const JSON_HEADERS = { "content-type": "application/json" };

/**
 * The Streamable HTTP transport of MCP 2025-11-25, written once over {@link HttpExchange}:
 * POST (one JSON-RPC message per body; answers as SSE or JSON), GET (the standalone SSE stream,
 * with `Last-Event-ID` resumption), DELETE (ends the session), session ids, protocol-version
 * header, Origin/Host validation and body limits. Fronts adapt node:http and fetch to it.
 */
export class StreamableHttpTransport {
  readonly path: string;
  readonly #sessions: SessionManager;
  readonly #http = new Map<string, HttpSession>();
  readonly #guard: RequestGuard;
  readonly #maxBody: number;
  readonly #jsonResponse: boolean;
  readonly #responder: RequestResponder;
  readonly #limits: HttpSessionLimits;
  readonly #keepAlive: ReturnType<typeof setInterval> | undefined;
  readonly #idleSweep: ReturnType<typeof setInterval> | undefined;
  readonly #idleTimeoutMs: number;
  /** Keep-alive interval of open SSE streams (0: none), stateless ones included. */
  readonly #keepAliveMs: number;
  readonly #logger: DiagnosticLogger;
  /** The server's `auth`, when it has it: undefined keeps every request free of auth work. */
  readonly #auth: HttpAuth | undefined;
  /** Undefined unless the server's backend shares sessions between instances. */
  readonly #shared: SharedHttpSessions | undefined;
  readonly #stopEndedElsewhere: (() => void) | undefined;
  #closed = false;

  constructor(sessions: SessionManager, options: StreamableHttpOptions = {}) {
    this.#sessions = sessions;
    this.path = options.path ?? "/mcp";
    this.#guard = new RequestGuard(options);
    this.#logger = options.logger ?? stderrLogger;
    const auth = sessions.auth;
    this.#auth = auth === undefined ? undefined : new HttpAuth(auth, this.#logger);
    this.#maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
    this.#jsonResponse = options.jsonResponse ?? false;
    this.#responder = new RequestResponder({
      retryMs: options.retryMs ?? 1000,
      immediateJson: options.immediateJson ?? true,
    });
    this.#limits = {
      replayBufferSize: options.replayBufferSize ?? 256,
      retainedStreams: options.retainedStreams ?? 32,
      maxStreamBufferBytes: options.maxStreamBufferBytes,
      maxReplayBytesPerSession: options.maxReplayBytesPerSession,
    };
    const keepAliveMs = options.keepAliveMs ?? 25_000;
    this.#keepAliveMs = keepAliveMs;
    if (keepAliveMs > 0) {
      this.#keepAlive = setInterval(() => {
        for (const http of this.#http.values()) http.keepAlive(SSE_KEEPALIVE);
      }, keepAliveMs);
      this.#keepAlive.unref?.();
    }
    this.#idleTimeoutMs = options.sessionIdleTimeoutMs ?? 30 * 60_000;
    const shared = sessions.shared;
    if (shared !== undefined) {
      this.#shared = new SharedHttpSessions(
        shared,
        this.#limits,
        this.#logger,
        Math.max(this.#idleTimeoutMs, 0),
      );
      this.#stopEndedElsewhere = this.#shared.closeEndedElsewhere(sessions, this.#http);
    }
    if (this.#idleTimeoutMs > 0) {
      this.#idleSweep = setInterval(
        () => {
          this.endIdleSessions().catch((error) => this.#logger.error("idle-session sweep failed", { error }));
        },
        Math.min(Math.max(this.#idleTimeoutMs / 2, 10), 60_000),
      );
      this.#idleSweep.unref?.();
    }
  }

  /** Ends the sessions idle for longer than `sessionIdleTimeoutMs`; returns how many. */
  async endIdleSessions(now = Date.now()): Promise<number> {
    if (this.#idleTimeoutMs <= 0) return 0;
    return endIdleSessions(this.#http, this.#sessions, this.#shared, this.#idleTimeoutMs, now, this.#logger);
  }

  /** Sessions opened through this transport. */
  get sessionCount(): number {
    return this.#http.size;
  }

  /**
   * Serves one HTTP exchange. Never throws: every failure becomes an HTTP answer. The checks run
   * in this order: the path (with `auth`, the RFC 9728 metadata is served without a token, after
   * the Host check only: any origin may read it), the Host/Origin guard (403), shutdown (503),
   * then with `auth` the bearer token (400/401/403), then the method, session and headers.
   */
  async handle(exchange: HttpExchange): Promise<void> {
    try {
      // HTTP/2 (node:http2's compatibility API) names the authority `:authority`, not Host.
      const host = exchange.header("host") ?? exchange.header(":authority");
      if (exchange.path !== this.path) {
        const auth = this.#auth;
        if (auth?.isMetadataPath(exchange.path)) {
          const denied = this.#guard.check(undefined, host);
          if (denied !== undefined) return refuse(exchange, null, denied);
          return auth.serveMetadata(exchange);
        }
        return refuse(
          exchange,
          null,
          new InvalidRequestError(`Not found: the MCP endpoint is ${this.path}.`, "not-found"),
        );
      }
      const denied = this.#guard.check(exchange.header("origin"), host);
      if (denied !== undefined) return refuse(exchange, null, denied);
      if (this.#closed) return refuse(exchange, null, new ProtocolError("shutting-down"));
      // MCP: authorization on every HTTP request, the session's included.
      if (this.#auth !== undefined && !(await this.#auth.admit(exchange))) return;
      // Stateless revisions (2026-07-28) have POST only: no GET stream, no session to DELETE.
      if (exchange.method !== "POST" && isStatelessBodiless(exchange))
        return methodNotAllowed(exchange, "POST");
      switch (exchange.method) {
        case "POST":
          return await this.#post(exchange);
        case "GET":
          return this.#get(exchange);
        case "DELETE":
          return await this.#delete(exchange);
        default:
          return methodNotAllowed(exchange, "GET, POST, DELETE");
      }
    } catch (error) {
      this.#logger.error("HTTP request failed", { method: exchange.method, error });
      try {
        const status = WIRE_ERRORS["internal-error"].http;
        exchange.respond(status, JSON_HEADERS, JSON.stringify(errorResponse(null, toJsonRpcError(error))));
      } catch {
        // The response was already started; nothing more can be said.
      }
    }
  }

  /** Ends every session opened here and closes their streams. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#keepAlive !== undefined) clearInterval(this.#keepAlive);
    if (this.#idleSweep !== undefined) clearInterval(this.#idleSweep);
    this.#stopEndedElsewhere?.();
    const ids = [...this.#http.keys()];
    for (const http of this.#http.values()) http.disconnectAll();
    this.#http.clear();
    // A shared session goes on on the other instances: only this instance lets it go.
    await Promise.all(ids.map((id) => this.#sessions.forget(id)));
  }

  async #post(exchange: HttpExchange): Promise<void> {
    const unsupported = contentTypeError(exchange.header("content-type"));
    if (unsupported !== undefined) return refuse(exchange, null, unsupported);
    let body: string;
    try {
      body = await exchange.readBody(this.#maxBody);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return refuse(
          exchange,
          null,
          new InvalidRequestError(error.message, "body-too-large", { limit: error.limit }),
        );
      }
      // The client broke off or sent a broken stream: its doing, so a warning without a stack.
      this.#logger.warn("could not read a request body", { error });
      return refuse(exchange, null, new ProtocolError("body-unreadable"));
    }
    let message: JsonRpcMessage;
    try {
      message = parseJsonRpc(body);
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      let id: JsonRpcId | null = null;
      try {
        id = readableId(JSON.parse(body));
      } catch {
        // Not JSON: no id to answer.
      }
      return refuse(exchange, id, error);
    }
    const request = isRequest(message) ? message : undefined;
    const id = request === undefined ? null : request.id;
    if (request !== undefined && isStatelessPost(exchange, request)) {
      return answerStateless(
        this.#sessions,
        exchange,
        request,
        this.#auth?.ownerOf(exchange),
        this.#keepAliveMs,
      );
    }
    if (request === undefined && isStatelessNotification(exchange, message)) return exchange.respond(202, {});
    if (request?.method === "initialize") return this.#initialize(exchange, request);

    const found = this.#sessionFor(exchange, id);
    const http = found instanceof Promise ? await found : found;
    if (http === undefined) return;
    if (request === undefined) {
      await http.session.handle(message, exchange);
      return exchange.respond(202, {});
    }
    const accepted = acceptedTypes(exchange.header("accept") ?? "");
    const wantsSse = !this.#jsonResponse && (accepted & ACCEPTS_SSE) !== 0 && (accepted & PREFERS_JSON) === 0;
    if (!wantsSse && (accepted & ACCEPTS_JSON) === 0) {
      return refuse(
        exchange,
        id,
        new InvalidRequestError(
          "Accept must include application/json or text/event-stream.",
          "not-acceptable",
        ),
      );
    }
    if (wantsSse) return this.#responder.answer(exchange, http, request);
    return this.#responder.answerJson(exchange, http, request);
  }

  async #initialize(exchange: HttpExchange, request: JsonRpcRequest): Promise<void> {
    if (exchange.header(SESSION_HEADER) !== undefined) {
      return refuse(exchange, request.id, new ProtocolError("session-already-exists"));
    }
    let session: ReturnType<SessionManager["create"]>;
    try {
      // With auth, the session belongs to the identity that opens it: so do its tasks.
      session = this.#sessions.create(undefined, this.#auth?.ownerOf(exchange));
    } catch (error) {
      if (!isProtocolError(error) || error.reason !== "session-limit-exceeded") throw error;
      // A capacity limit, not a bad request: 503 with Retry-After (seconds) tells clients and
      // proxies to come back later. Open sessions are not affected.
      return exchange.respond(
        WIRE_ERRORS["session-limit-exceeded"].http,
        { ...JSON_HEADERS, "retry-after": "5" },
        JSON.stringify(errorResponse(request.id, error.toJSON())),
      );
    }
    const http = new HttpSession(session, this.#limits);
    session.attach(http);
    const response = await session.handle(request, exchange);
    if (response === undefined || "error" in response) {
      await this.#sessions.end(session.id);
      return exchange.respond(200, JSON_HEADERS, JSON.stringify(response));
    }
    if (this.#shared !== undefined) {
      try {
        await this.#shared.share(http);
      } catch (error) {
        this.#sessions.discard(session.id);
        return refuse(exchange, request.id, storeRefusal(error));
      }
    }
    this.#http.set(session.id, http);
    exchange.respond(200, http.jsonHeaders, JSON.stringify(response));
  }

  async #get(exchange: HttpExchange): Promise<void> {
    if ((acceptedTypes(exchange.header("accept") ?? "") & ACCEPTS_SSE) === 0) {
      refuse(
        exchange,
        null,
        new InvalidRequestError("GET needs Accept: text/event-stream.", "not-acceptable"),
      );
      return;
    }
    const found = this.#sessionFor(exchange, null);
    const http = found instanceof Promise ? await found : found;
    if (http === undefined) return;
    const refused = openGetStream(exchange, http, this.#shared, this.#logger, (error) =>
      refuse(exchange, null, error),
    );
    if (refused instanceof Promise) return refused;
    if (refused !== undefined) refuse(exchange, null, refused);
  }

  async #delete(exchange: HttpExchange): Promise<void> {
    const found = this.#sessionFor(exchange, null);
    const http = found instanceof Promise ? await found : found;
    if (http === undefined) return;
    try {
      // A shared session ends on every instance.
      await this.#sessions.end(http.session.id);
    } catch (error) {
      return refuse(exchange, null, storeRefusal(error));
    }
    this.#http.delete(http.session.id);
    http.disconnectAll();
    exchange.respond(204, {});
  }

  /**
   * The exchange's session, or undefined after answering 400/404 for a missing/unknown one. A
   * shared session held by another instance is looked up (a promise then; 503 when the store
   * cannot be reached).
   */
  #sessionFor(
    exchange: HttpExchange,
    id: JsonRpcId | null,
  ): HttpSession | undefined | Promise<HttpSession | undefined> {
    const sessionId = exchange.header(SESSION_HEADER);
    if (sessionId === undefined) {
      refuse(
        exchange,
        id,
        new InvalidRequestError(
          "Missing Mcp-Session-Id header: send initialize first to get one.",
          "session-required",
        ),
      );
      return undefined;
    }
    const found = this.#http.get(sessionId);
    if (found !== undefined || this.#shared === undefined) return this.#checked(exchange, id, found);
    // A shared session another instance opened: made here (one lookup), then checked alike.
    return this.#shared.adopt(sessionId, this.#http).then((adopted) => {
      if (!(adopted instanceof ProtocolError)) return this.#checked(exchange, id, adopted);
      refuse(exchange, id, adopted);
      return undefined;
    });
  }

  /** The session's identity, revision header and activity, checked and noted. */
  #checked(
    exchange: HttpExchange,
    id: JsonRpcId | null,
    found: HttpSession | undefined,
  ): HttpSession | undefined {
    // A session presented with another identity's token answers exactly as an unknown one.
    const http =
      found === undefined || this.#auth === undefined || found.session.owner === this.#auth.ownerOf(exchange)
        ? found
        : undefined;
    if (http === undefined) {
      refuse(exchange, id, new ProtocolError("session-not-found"));
      return undefined;
    }
    const now = Date.now();
    http.lastActivity = now;
    if (http.shared) this.#shared?.touch(http, now);
    const wrongVersion = protocolVersionError(
      exchange.header(VERSION_HEADER),
      http.session.revision?.version,
    );
    if (wrongVersion === undefined) return http;
    refuse(exchange, id, wrongVersion);
    return undefined;
  }
}
