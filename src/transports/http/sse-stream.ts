import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";
import { formatPrimingEvent, formatSseEvent, type SseWriter } from "./sse-writer.js";

interface StoredEvent {
  readonly seq: number;
  /** Empty for the priming event, which has nothing to replay. */
  readonly data: string;
}

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
  #events: StoredEvent[] = [];
  /** Index of the oldest kept event in #events (dropping from the front is O(1) this way). */
  #first = 0;
  #seq = 0;
  /** The last event written to a live connection. */
  #delivered = 0;
  #writer: SseWriter | undefined;
  #finished = false;
  /** Opens the connection on the first event (see {@link startLazily}). */
  #lazyStart: (() => void) | undefined;
  #started = true;

  constructor(id: string, requestId: string | number | undefined, maxEvents: number) {
    this.id = id;
    this.requestId = requestId;
    this.#maxEvents = maxEvents;
  }

  /**
   * Defers opening the connection: `start` runs before the first event is sent, or on
   * {@link startNow}. Until then {@link started} is false and the stream may still be answered
   * some other way.
   */
  startLazily(start: () => void): void {
    this.#lazyStart = start;
    this.#started = false;
  }

  /** Runs a deferred start now (no-op when already started or finished). */
  startNow(): void {
    const start = this.#lazyStart;
    if (start === undefined || this.#finished) return;
    this.#lazyStart = undefined;
    this.#started = true;
    start();
  }

  /** Whether the connection was opened (always true unless {@link startLazily} is pending). */
  get started(): boolean {
    return this.#started;
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
    for (let index = this.#first; index < this.#events.length; index++) {
      const event = this.#events[index] as StoredEvent;
      if (event.seq > afterSeq && event.data !== "")
        writer.write(formatSseEvent(this.#eventId(event.seq), event.data));
    }
    this.#delivered = this.#seq;
    if (this.#finished) this.#close();
  }

  /** Sends the priming event (an id to resume from, and the client's retry delay). */
  prime(retryMs: number): void {
    const seq = this.#record("");
    if (this.#writer?.write(formatPrimingEvent(this.#eventId(seq), retryMs))) this.#delivered = seq;
  }

  /** Sends (and stores for replay) one message. */
  send(message: JsonRpcMessage): void {
    if (this.#finished) return;
    if (!this.#started) this.startNow();
    const data = JSON.stringify(message);
    const seq = this.#record(data);
    if (this.#writer?.write(formatSseEvent(this.#eventId(seq), data))) this.#delivered = seq;
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

  #record(data: string): number {
    const seq = ++this.#seq;
    this.#events.push({ seq, data });
    if (this.#events.length - this.#first > this.#maxEvents) {
      this.#first++;
      // Compact once the dropped prefix is as long as the buffer: amortised O(1) per event.
      if (this.#first >= this.#maxEvents) {
        this.#events = this.#events.slice(this.#first);
        this.#first = 0;
      }
    }
    return seq;
  }

  #eventId(seq: number): string {
    return `${this.id}.${seq}`;
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
