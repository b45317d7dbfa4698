import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";
import { messageJson } from "../../protocol/jsonrpc.js";
import { formatPrimingEvent, formatSseEvent, type SseWriter } from "./sse-writer.js";

/**
 * One logical SSE stream of a session (a POST request's stream, or the standalone GET stream).
 * Every event gets an id unique within the session (`<streamId>.<seq>`) and is kept in a bounded
 * replay buffer, so a client that lost the connection can reconnect with `Last-Event-ID` and get
 * exactly the events it missed, in order, from this stream only.
 */
export class SseStream {
  readonly id: string;
  /** The JSON-RPC request this stream answers; undefined for the standalone stream. */
  readonly requestId: string | number | undefined;
  readonly #maxEvents: number;
  /**
   * Replay buffer: the framed events (ready to write again), event `seq` at `(seq - 1) % #maxEvents`;
   * "" for the priming event, which has nothing to replay. Grows to #maxEvents, then wraps: no
   * per-event object and no compaction.
   */
  readonly #ring: string[] = [];
  #seq = 0;
  /** The last event written to a live connection. */
  #delivered = 0;
  #writer: SseWriter | undefined;
  #finished = false;
  constructor(id: string, requestId: string | number | undefined, maxEvents: number) {
    this.id = id;
    this.requestId = requestId;
    this.#maxEvents = maxEvents;
  }

  /** A live connection is attached. */
  get connected(): boolean {
    return this.#writer !== undefined;
  }

  /** The response was written: nothing more will be sent on this stream. */
  get finished(): boolean {
    return this.#finished;
  }

  /**
   * Attaches a connection, first replaying the stored events after `afterSeq` (by default, the
   * ones no connection has received yet).
   */
  attach(writer: SseWriter, afterSeq = this.#delivered): void {
    this.#writer?.end();
    this.#writer = writer;
    writer.onClose(() => {
      if (this.#writer === writer) this.#writer = undefined;
    });
    const oldest = Math.max(afterSeq, this.#seq - this.#ring.length) + 1;
    for (let seq = oldest; seq <= this.#seq; seq++) {
      const frame = this.#ring[(seq - 1) % this.#maxEvents] as string;
      if (frame !== "") writer.write(frame);
    }
    this.#delivered = this.#seq;
    if (this.#finished) this.#close();
  }

  /** Sends the priming event (an id to resume from, and the client's retry delay). */
  prime(retryMs: number): void {
    const seq = this.#record("");
    if (this.#writer?.write(formatPrimingEvent(`${this.id}.${seq}`, retryMs))) this.#delivered = seq;
  }

  /** Sends (and stores for replay) one message. */
  send(message: JsonRpcMessage): void {
    if (this.#finished) return;
    const seq = this.#seq + 1;
    // Stored framed, as sent: a replay writes it again as is.
    const frame = formatSseEvent(this.id, seq, messageJson(message));
    this.#record(frame);
    if (this.#writer?.write(frame)) this.#delivered = seq;
  }

  /** Writes raw text to the live connection only (keep-alive comments). */
  writeRaw(chunk: string): void {
    this.#writer?.write(chunk);
  }

  /** No more events: ends the live connection. Stored events stay replayable. */
  finish(): void {
    this.#finished = true;
    this.#close();
  }

  /** Ends the live connection without finishing the stream (server shutdown, session end). */
  disconnect(): void {
    this.#close();
  }

  #close(): void {
    const writer = this.#writer;
    this.#writer = undefined;
    writer?.end();
  }

  /** Stores the next event's frame ("" when it has nothing to replay) and returns its seq. */
  #record(frame: string): number {
    const seq = ++this.#seq;
    if (this.#ring.length < this.#maxEvents) this.#ring.push(frame);
    else if (this.#maxEvents > 0) this.#ring[(seq - 1) % this.#maxEvents] = frame;
    return seq;
  }
}

/** Splits an event id made by {@link SseStream} into stream id and sequence number. */
export function parseEventId(eventId: string): { streamId: string; seq: number } | undefined {
  const dot = eventId.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const seq = Number(eventId.slice(dot + 1));
  if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
  return { streamId: eventId.slice(0, dot), seq };
}
