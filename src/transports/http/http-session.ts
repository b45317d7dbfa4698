import type { JsonRpcId, JsonRpcMessage } from "../../protocol/jsonrpc.js";
import type { MessageChannel, Session } from "../../server/session/session.js";
import type { SessionEventLog } from "../../server/session/session-directory.js";
import type { DiagnosticLogger } from "../../util/diagnostics.js";
import type { HttpExchange } from "./exchange.js";
import { LogFedStream, STANDALONE } from "./log-fed-stream.js";
import { ReplayBudget } from "./replay-ring.js";
import { DEFAULT_STREAM_BUFFER_BYTES, SseStream, type SseStreamLimits } from "./sse-stream.js";

/** Limits of one session's streams. */
export interface HttpSessionLimits {
  /** Events kept per stream for `Last-Event-ID` replay. */
  replayBufferSize: number;
  /** Finished request streams kept per session, oldest dropped first. */
  retainedStreams: number;
  /**
   * Characters (bytes, for ASCII text) of non-progress events held for one congested connection
   * before it is closed; the client resumes with `Last-Event-ID` (default 4 MiB).
   */
  maxStreamBufferBytes?: number;
  /** Characters of SSE text kept for replay by the whole session (default 16 MiB). */
  maxReplayBytesPerSession?: number;
}

/** Default of {@link HttpSessionLimits.maxReplayBytesPerSession}: 16 MiB. */
export const DEFAULT_REPLAY_BYTES_PER_SESSION = 16 * 1024 * 1024;

/** The header that carries a session's id on every request after `initialize`. */
export const SESSION_HEADER = "mcp-session-id";
const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
  connection: "keep-alive",
};

/**
 * One POST request being answered, and the SSE stream that carries its messages once it needs
 * one. The stream (with its id, replay buffer and place among the session's streams) is made only
 * when the first message must go out: a request answered with plain JSON never has one.
 */
export class RequestRoute {
  readonly requestId: JsonRpcId;
  readonly #http: HttpSession;
  readonly #exchange: HttpExchange;
  /** The priming event's retry delay; undefined on revisions that get no priming event. */
  readonly #retryMs: number | undefined;
  #stream: SseStream | undefined = undefined;
  #closed = false;

  constructor(http: HttpSession, requestId: JsonRpcId, exchange: HttpExchange, retryMs: number | undefined) {
    this.#http = http;
    this.requestId = requestId;
    this.#exchange = exchange;
    this.#retryMs = retryMs;
  }

  /** The stream, once opened. */
  get stream(): SseStream | undefined {
    return this.#stream;
  }

  /** The response was written (or will never be). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Opens the SSE response now (no-op once open or closed) and returns the stream. */
  open(): SseStream | undefined {
    if (this.#stream !== undefined || this.#closed) return this.#stream;
    const http = this.#http;
    const stream = http.addRequestStream(this.requestId);
    this.#stream = stream;
    stream.attach(this.#exchange.startSse(http.sseHeaders));
    if (this.#retryMs !== undefined) stream.prime(this.#retryMs);
    return stream;
  }

  /** Marks the route closed and finishes its stream, if it has one. */
  close(): void {
    this.#closed = true;
    this.#stream?.finish();
  }
}

/**
 * The HTTP side of one session: its standalone GET stream, its request streams, and the
 * routing of server→client messages between them. It is the session's {@link MessageChannel}.
 */
export class HttpSession implements MessageChannel {
  readonly session: Session;
  /**
   * The GET stream; exists (and buffers) before a client opens it. On a shared session, the
   * backend's event log holds it (see {@link share}).
   */
  standalone: SseStream | LogFedStream;
  /** Headers of this session's JSON answers, built once (the fronts only read them). */
  readonly jsonHeaders: Record<string, string>;
  /** Headers of this session's SSE responses, built once. */
  readonly sseHeaders: Record<string, string>;
  readonly #streams = new Map<string, SseStream>();
  readonly #byRequest = new Map<JsonRpcId, RequestRoute>();
  readonly #limits: HttpSessionLimits;
  /** What every stream of the session is made with (one object, shared). */
  readonly #streamLimits: SseStreamLimits;
  #nextStream = 1;
  /** What request stream ids start with: unique to this instance on a shared session. */
  #streamPrefix = "";
  /** The shared session's event log; undefined while unshared. */
  #log: SessionEventLog | undefined;
  /** Streams of other instances resumed here (shared sessions), while connected. */
  #followed: Set<LogFedStream> | undefined;
  /** When the client last sent anything (epoch ms). */
  lastActivity = Date.now();
  /** When this instance last told the shared session's directory it was used (epoch ms). */
  lastTouched = Date.now();

  constructor(session: Session, limits: HttpSessionLimits) {
    this.session = session;
    this.#limits = limits;
    this.jsonHeaders = { "content-type": "application/json", [SESSION_HEADER]: session.id };
    this.sseHeaders = { ...SSE_HEADERS, [SESSION_HEADER]: session.id };
    this.#streamLimits = {
      maxBufferBytes: limits.maxStreamBufferBytes ?? DEFAULT_STREAM_BUFFER_BYTES,
      replay: new ReplayBudget(limits.maxReplayBytesPerSession ?? DEFAULT_REPLAY_BYTES_PER_SESSION, () =>
        this.#trimReplay(),
      ),
    };
    this.standalone = new SseStream(STANDALONE, undefined, limits.replayBufferSize, this.#streamLimits);
    this.#streams.set(STANDALONE, this.standalone);
  }

  /** Whether the session is shared with other instances (see {@link share}). */
  get shared(): boolean {
    return this.#log !== undefined;
  }

  /**
   * Makes this the HTTP side of a shared session: its standalone stream lives in `log` (any
   * instance may write to it or hold its connection), and its request streams get ids unique to
   * this instance (`streamPrefix`) and copy their events to the log, so that a client can resume
   * one on another instance.
   */
  share(log: SessionEventLog, streamPrefix: string, logger: DiagnosticLogger): void {
    this.#log = log;
    this.#streamPrefix = streamPrefix;
    this.#streams.delete(STANDALONE);
    (this.standalone as SseStream).release();
    this.standalone = new LogFedStream(log, this.session.id, STANDALONE, logger);
    const id = this.session.id;
    this.#streamLimits.mirror = (stream, seq, message, end) => {
      log.append(id, stream, seq, message, end).catch((error: unknown) => {
        logger.error("could not copy an event of a shared session's stream", { error });
      });
    };
  }

  /**
   * A stream another instance produces, to resume here with `Last-Event-ID` (shared sessions
   * only); it counts as this session's while connected.
   */
  followStream(streamId: string, logger: DiagnosticLogger): LogFedStream | undefined {
    const log = this.#log;
    if (log === undefined) return undefined;
    const stream = new LogFedStream(log, this.session.id, streamId, logger);
    this.#followed ??= new Set();
    this.#followed.add(stream);
    return stream;
  }

  /** A followed stream's connection ended. */
  unfollowStream(stream: LogFedStream): void {
    this.#followed?.delete(stream);
  }

  /**
   * Starts routing one request's messages to its own stream, opened on the first message (or by
   * {@link RequestRoute.open}). `retryMs` undefined sends no priming event.
   */
  openRequest(requestId: JsonRpcId, exchange: HttpExchange, retryMs: number | undefined): RequestRoute {
    const route = new RequestRoute(this, requestId, exchange, retryMs);
    this.#byRequest.set(requestId, route);
    return route;
  }

  /** The request's response was written (or will never be): later messages use the standalone stream. */
  closeRequest(route: RequestRoute): void {
    if (this.#byRequest.get(route.requestId) === route) this.#byRequest.delete(route.requestId);
    route.close();
  }

  /** Makes and registers a request stream (called by {@link RequestRoute.open}). */
  addRequestStream(requestId: JsonRpcId): SseStream {
    const stream = new SseStream(
      `${this.#streamPrefix}${this.#nextStream++}`,
      requestId,
      this.#limits.replayBufferSize,
      this.#streamLimits,
    );
    this.#streams.set(stream.id, stream);
    this.#evictFinished();
    return stream;
  }

  /** A stream by id, for `Last-Event-ID` resumption (a shared session's other instances' streams: see {@link followStream}). */
  stream(id: string): SseStream | LogFedStream | undefined {
    return id === STANDALONE ? this.standalone : this.#streams.get(id);
  }

  /**
   * Routes a server→client message: to its request's stream while that request is open (kept
   * there for replay even if the client dropped the connection), else to the standalone stream,
   * which buffers until a GET stream is open.
   */
  send(message: JsonRpcMessage, relatedRequestId?: JsonRpcId): void {
    const route = relatedRequestId === undefined ? undefined : this.#byRequest.get(relatedRequestId);
    ((route === undefined ? undefined : route.open()) ?? this.standalone).send(message);
  }

  /** Characters of SSE text the session keeps for replay, over all its streams. */
  get replayBytes(): number {
    return this.#streamLimits.replay.bytes;
  }

  /** Whether a connection is open or a request is being served: not idle, whatever the clock says. */
  get busy(): boolean {
    if (this.session.inflightCount > 0 || this.standalone.connected) return true;
    for (const stream of this.#streams.values()) if (stream.connected) return true;
    for (const stream of this.#followed ?? []) if (stream.connected) return true;
    return false;
  }

  /** Ends every live connection (session end, server shutdown). */
  disconnectAll(): void {
    this.standalone.disconnect();
    for (const stream of this.#streams.values()) stream.disconnect();
    for (const stream of this.#followed ?? []) stream.disconnect();
  }

  /** Writes a keep-alive comment on every connected stream. */
  keepAlive(comment: string): void {
    if (this.#log !== undefined && this.standalone.connected) this.standalone.writeRaw(comment);
    for (const stream of this.#streams.values()) if (stream.connected) stream.writeRaw(comment);
    for (const stream of this.#followed ?? []) if (stream.connected) stream.writeRaw(comment);
  }

  #evictFinished(): void {
    if (this.#streams.size <= this.#limits.retainedStreams + 1) return;
    for (const [id, stream] of this.#streams) {
      if (this.#streams.size <= this.#limits.retainedStreams + 1) return;
      if (stream.finished && !stream.connected) this.#forget(id, stream);
    }
  }

  /**
   * The replay bytes passed `maxReplayBytesPerSession`: drops finished streams no connection is
   * reading, oldest first (a `Last-Event-ID` into one then gets 404 unknown-event-id), then the
   * oldest events of the remaining streams, oldest stream first (a `Last-Event-ID` before them
   * replays from the oldest event kept, as when the per-stream event count wraps). Within a
   * stream the newest event, a request's response, goes last.
   */
  #trimReplay(): void {
    const budget = this.#streamLimits.replay;
    for (const [id, stream] of this.#streams) {
      if (budget.bytes <= budget.max) return;
      if (stream.finished && !stream.connected) this.#forget(id, stream);
    }
    for (const stream of this.#streams.values()) {
      while (budget.bytes > budget.max) if (!stream.trimReplay()) break;
      if (budget.bytes <= budget.max) return;
    }
  }

  #forget(id: string, stream: SseStream): void {
    this.#streams.delete(id);
    stream.release();
  }
}
