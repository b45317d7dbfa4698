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
  type ProtocolError,
  toJsonRpcError,
} from "../../protocol/protocol-error.js";
import { findRevision, REVISIONS } from "../../protocol/revisions.js";
import type { SessionManager } from "../../server/session-manager.js";
import { BodyTooLargeError, type HttpExchange } from "./exchange.js";
import { HttpSession } from "./http-session.js";
import { RequestGuard, type RequestGuardOptions } from "./request-guard.js";
import { RequestResponder } from "./request-responder.js";
import { parseEventId } from "./sse-stream.js";
import { SSE_KEEPALIVE } from "./sse-writer.js";

/** Options of the Streamable HTTP endpoint. */
export interface StreamableHttpOptions extends RequestGuardOptions {
  /** The endpoint path (default `/mcp`). */
  path?: string;
  /** Largest accepted request body in bytes (default 4 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Events kept per SSE stream for `Last-Event-ID` replay (default 256). */
  replayBufferSize?: number;
  /** Finished request streams kept per session for replay (default 32). */
  retainedStreams?: number;
  /** The `retry` delay suggested to clients in the priming event, in ms (default 1000). */
  retryMs?: number;
  /** Interval of keep-alive comments on open SSE streams, in ms (default 25 s; 0 disables). */
  keepAliveMs?: number;
  /** Answer requests with JSON even when the client accepts SSE (default false). */
  jsonResponse?: boolean;
  /**
   * Answer with JSON a request that completes before the next event-loop turn without streaming
   * anything first (default true); set false to always open an SSE stream when the client accepts one.
   */
  immediateJson?: boolean;
  /**
   * Ends sessions that sent nothing for this many ms and have no open stream, request in flight or
   * running task (default 30 minutes; 0 keeps sessions until DELETE or shutdown).
   */
  sessionIdleTimeoutMs?: number;
}

const SESSION_HEADER = "mcp-session-id";
const VERSION_HEADER = "mcp-protocol-version";
const JSON_HEADERS = { "content-type": "application/json" };
/** Whether a header value names `type` (ASCII case-insensitively); lower-cases only when it must. */
function names(value: string, type: string): boolean {
  if (value.includes(type)) return true;
  const lower = value.toLowerCase();
  return lower !== value && lower.includes(type);
}

function accepts(accept: string, type: string): boolean {
  return names(accept, type) || accept.includes("*/*");
}

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
  readonly #limits: { replayBufferSize: number; retainedStreams: number };
  readonly #keepAlive: ReturnType<typeof setInterval> | undefined;
  readonly #idleSweep: ReturnType<typeof setInterval> | undefined;
  readonly #idleTimeoutMs: number;
  #closed = false;

  constructor(sessions: SessionManager, options: StreamableHttpOptions = {}) {
    this.#sessions = sessions;
    this.path = options.path ?? "/mcp";
    this.#guard = new RequestGuard(options);
    this.#maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
    this.#jsonResponse = options.jsonResponse ?? false;
    this.#responder = new RequestResponder({
      retryMs: options.retryMs ?? 1000,
      immediateJson: options.immediateJson ?? true,
    });
    this.#limits = {
      replayBufferSize: options.replayBufferSize ?? 256,
      retainedStreams: options.retainedStreams ?? 32,
    };
    const keepAliveMs = options.keepAliveMs ?? 25_000;
    if (keepAliveMs > 0) {
      this.#keepAlive = setInterval(() => {
        for (const http of this.#http.values()) http.keepAlive(SSE_KEEPALIVE);
      }, keepAliveMs);
      this.#keepAlive.unref?.();
    }
    this.#idleTimeoutMs = options.sessionIdleTimeoutMs ?? 30 * 60_000;
    if (this.#idleTimeoutMs > 0) {
      this.#idleSweep = setInterval(
        () => {
          this.endIdleSessions().catch((error) =>
            console.error("[fastestmcp] idle-session sweep failed:", error),
          );
        },
        Math.min(Math.max(this.#idleTimeoutMs / 2, 10), 60_000),
      );
      this.#idleSweep.unref?.();
    }
  }

  /** Ends the sessions idle for longer than `sessionIdleTimeoutMs`; returns how many. */
  async endIdleSessions(now = Date.now()): Promise<number> {
    if (this.#idleTimeoutMs <= 0) return 0;
    const idle = [...this.#http.values()].filter(
      (http) =>
        now - http.lastActivity >= this.#idleTimeoutMs &&
        !http.busy &&
        this.#sessions.runningTasks(http.session.owner) === 0,
    );
    for (const http of idle) {
      this.#http.delete(http.session.id);
      http.disconnectAll();
      await this.#sessions.end(http.session.id);
    }
    return idle.length;
  }

  /** Sessions opened through this transport. */
  get sessionCount(): number {
    return this.#http.size;
  }

  /** Serves one HTTP exchange. Never throws: every failure becomes an HTTP answer. */
  async handle(exchange: HttpExchange): Promise<void> {
    try {
      if (exchange.path !== this.path)
        return this.#fail(
          exchange,
          404,
          null,
          new InvalidRequestError(`Not found: the MCP endpoint is ${this.path}.`, "not-found"),
        );
      const denied = this.#guard.check(exchange.header("origin"), exchange.header("host"));
      if (denied !== undefined)
        return this.#fail(exchange, 403, null, new InvalidRequestError(`Forbidden: ${denied}`, "forbidden"));
      if (this.#closed)
        return this.#fail(
          exchange,
          503,
          null,
          new InvalidRequestError("The server is shutting down.", "shutting-down"),
        );
      switch (exchange.method) {
        case "POST":
          return await this.#post(exchange);
        case "GET":
          return this.#get(exchange);
        case "DELETE":
          return await this.#delete(exchange);
        default:
          exchange.respond(
            405,
            { allow: "GET, POST, DELETE", ...JSON_HEADERS },
            JSON.stringify(
              errorResponse(
                null,
                new InvalidRequestError(
                  `Method ${exchange.method} is not allowed: use POST, GET or DELETE.`,
                ).toJSON(),
              ),
            ),
          );
      }
    } catch (error) {
      console.error("[fastestmcp] HTTP request failed:", error);
      try {
        exchange.respond(500, JSON_HEADERS, JSON.stringify(errorResponse(null, toJsonRpcError(error))));
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
    const ids = [...this.#http.keys()];
    for (const http of this.#http.values()) http.disconnectAll();
    this.#http.clear();
    await Promise.all(ids.map((id) => this.#sessions.end(id)));
  }

  async #post(exchange: HttpExchange): Promise<void> {
    if (!names(exchange.header("content-type") ?? "", "application/json")) {
      return this.#fail(
        exchange,
        415,
        null,
        new InvalidRequestError("Content-Type must be application/json.", "unsupported-media-type"),
      );
    }
    let body: string;
    try {
      body = await exchange.readBody(this.#maxBody);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return this.#fail(
          exchange,
          413,
          null,
          new InvalidRequestError(error.message, "body-too-large", { limit: error.limit }),
        );
      }
      throw error;
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
      return this.#fail(exchange, 400, id, error);
    }
    const request = isRequest(message) ? message : undefined;
    const id = request === undefined ? null : request.id;
    if (request?.method === "initialize") return this.#initialize(exchange, request);

    const http = this.#sessionFor(exchange, id);
    if (http === undefined) return;
    if (request === undefined) {
      await http.session.handle(message);
      return exchange.respond(202, {});
    }
    const accept = exchange.header("accept") ?? "";
    const wantsSse = !this.#jsonResponse && accepts(accept, "text/event-stream");
    if (!wantsSse && !accepts(accept, "application/json")) {
      return this.#fail(
        exchange,
        406,
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
      return this.#fail(
        exchange,
        400,
        request.id,
        new InvalidRequestError(
          "initialize must not carry an Mcp-Session-Id: it starts a new session.",
          "session-already-exists",
        ),
      );
    }
    const session = this.#sessions.create();
    const http = new HttpSession(session, this.#limits);
    session.attach(http);
    const response = await session.handle(request);
    if (response === undefined || "error" in response) {
      await this.#sessions.end(session.id);
      return exchange.respond(200, JSON_HEADERS, JSON.stringify(response));
    }
    this.#http.set(session.id, http);
    exchange.respond(200, http.jsonHeaders, JSON.stringify(response));
  }

  #get(exchange: HttpExchange): void {
    if (!accepts(exchange.header("accept") ?? "", "text/event-stream")) {
      this.#fail(
        exchange,
        406,
        null,
        new InvalidRequestError("GET needs Accept: text/event-stream.", "not-acceptable"),
      );
      return;
    }
    const http = this.#sessionFor(exchange, null);
    if (http === undefined) return;
    const lastEventId = exchange.header("last-event-id");
    const resume = lastEventId === undefined ? undefined : parseEventId(lastEventId);
    const stream = resume === undefined ? http.standalone : http.stream(resume.streamId);
    if (stream === undefined) {
      this.#fail(
        exchange,
        404,
        null,
        new InvalidRequestError(
          `Unknown Last-Event-ID "${lastEventId}": its stream is no longer kept.`,
          "unknown-event-id",
        ),
      );
      return;
    }
    if (resume === undefined && stream.connected) {
      this.#fail(
        exchange,
        409,
        null,
        new InvalidRequestError("This session already has an open GET stream.", "stream-conflict"),
      );
      return;
    }
    stream.attach(exchange.startSse(http.sseHeaders), resume?.seq);
  }

  async #delete(exchange: HttpExchange): Promise<void> {
    const http = this.#sessionFor(exchange, null);
    if (http === undefined) return;
    this.#http.delete(http.session.id);
    http.disconnectAll();
    await this.#sessions.end(http.session.id);
    exchange.respond(204, {});
  }

  /** The exchange's session, or undefined after answering 400/404 for a missing/unknown one. */
  #sessionFor(exchange: HttpExchange, id: JsonRpcId | null): HttpSession | undefined {
    const sessionId = exchange.header(SESSION_HEADER);
    if (sessionId === undefined) {
      this.#fail(
        exchange,
        400,
        id,
        new InvalidRequestError(
          "Missing Mcp-Session-Id header: send initialize first to get one.",
          "session-required",
        ),
      );
      return undefined;
    }
    const http = this.#http.get(sessionId);
    if (http === undefined) {
      this.#fail(
        exchange,
        404,
        id,
        new InvalidRequestError("Unknown or ended session: initialize a new one.", "session-not-found"),
      );
      return undefined;
    }
    http.lastActivity = Date.now();
    const version = exchange.header(VERSION_HEADER);
    if (version !== undefined && findRevision(version) === undefined) {
      this.#fail(
        exchange,
        400,
        id,
        new InvalidRequestError(
          `Unsupported MCP-Protocol-Version "${version}": supported are ${REVISIONS.map((r) => r.version).join(", ")}.`,
          "unsupported-protocol-version",
        ),
      );
      return undefined;
    }
    return http;
  }

  #fail(exchange: HttpExchange, status: number, id: JsonRpcId | null, error: ProtocolError): void {
    exchange.respond(status, JSON_HEADERS, JSON.stringify(errorResponse(id, error.toJSON())));
  }
}
