import type { JsonRpcId, JsonRpcMessage } from "../../protocol/jsonrpc.js";
import type { MessageChannel, Session } from "../../server/session.js";
import { SseStream } from "./sse-stream.js";

/** Limits of one session's streams. */
export interface HttpSessionLimits {
  /** Events kept per stream for `Last-Event-ID` replay. */
  replayBufferSize: number;
  /** Finished request streams kept per session, oldest dropped first. */
  retainedStreams: number;
}

const STANDALONE = "0";

/**
 * The HTTP side of one session: its standalone GET stream, its request streams, and the
 * routing of server→client messages between them. It is the session's {@link MessageChannel}.
 */
export class HttpSession implements MessageChannel {
  readonly session: Session;
  /** The GET stream; exists (and buffers) before a client opens it. */
  readonly standalone: SseStream;
  readonly #streams = new Map<string, SseStream>();
  readonly #byRequest = new Map<JsonRpcId, SseStream>();
  readonly #limits: HttpSessionLimits;
  #nextStream = 1;
  /** When the client last sent anything (epoch ms). */
  lastActivity = Date.now();

  constructor(session: Session, limits: HttpSessionLimits) {
    this.session = session;
    this.#limits = limits;
    this.standalone = new SseStream(STANDALONE, undefined, limits.replayBufferSize);
    this.#streams.set(STANDALONE, this.standalone);
  }

  /** Opens the stream that will carry one request's messages and response. */
  openRequestStream(requestId: JsonRpcId): SseStream {
    const stream = new SseStream(String(this.#nextStream++), requestId, this.#limits.replayBufferSize);
    this.#streams.set(stream.id, stream);
    this.#byRequest.set(requestId, stream);
    this.#evictFinished();
    return stream;
  }

  /** The request's response was written (or will never be): later messages use the standalone stream. */
  closeRequestStream(stream: SseStream): void {
    if (stream.requestId !== undefined && this.#byRequest.get(stream.requestId) === stream) {
      this.#byRequest.delete(stream.requestId);
    }
    stream.finish();
  }

  /** A stream by id, for `Last-Event-ID` resumption. */
  stream(id: string): SseStream | undefined {
    return this.#streams.get(id);
  }

  /**
   * Routes a server→client message: to its request's stream while that request is open (kept
   * there for replay even if the client dropped the connection), else to the standalone stream,
   * which buffers until a GET stream is open.
   */
  send(message: JsonRpcMessage, relatedRequestId?: JsonRpcId): void {
    const stream = relatedRequestId === undefined ? undefined : this.#byRequest.get(relatedRequestId);
    (stream ?? this.standalone).send(message);
  }

  /** Whether a connection is open or a request is being served: not idle, whatever the clock says. */
  get busy(): boolean {
    if (this.session.inflight.size > 0) return true;
    for (const stream of this.#streams.values()) if (stream.connected) return true;
    return false;
  }

  /** Ends every live connection (session end, server shutdown). */
  disconnectAll(): void {
    for (const stream of this.#streams.values()) stream.disconnect();
  }

  /** Writes a keep-alive comment on every connected stream. */
  keepAlive(comment: string): void {
    for (const stream of this.#streams.values()) if (stream.connected) stream.writeRaw(comment);
  }

  #evictFinished(): void {
    if (this.#streams.size <= this.#limits.retainedStreams + 1) return;
    for (const [id, stream] of this.#streams) {
      if (this.#streams.size <= this.#limits.retainedStreams + 1) return;
      if (stream.finished && !stream.connected) this.#streams.delete(id);
    }
  }
}
