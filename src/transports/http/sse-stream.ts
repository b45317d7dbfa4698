import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";
import { messageJson } from "../../protocol/jsonrpc.js";
import type { ProgressToken } from "../../protocol/mcp-types.js";
import { ReplayBudget, ReplayRing } from "./replay-ring.js";
import { SseBacklog } from "./sse-backlog.js";
import { formatPrimingEvent, formatSseEvent, type SseWriter } from "./sse-writer.js";

/** How much one stream may hold, and the session-wide replay budget its ring counts against. */
export interface SseStreamLimits {
  /** Characters held for a congested connection before it is closed (see {@link SseStream}). */
  maxBufferBytes: number;
  /** The session's replay bytes. */
  replay: ReplayBudget;
  /**
   * A shared session's copy of every event, for replay on another instance: called with each
   * event's seq and message JSON (`""` for a priming event), and `end` once after the last.
   * Such a stream never coalesces progress for lack of a connection (the client may be reading
   * the copy elsewhere).
   */
  mirror?: StreamMirror | undefined;
}

/** Receives a stream's events as they are stored (see {@link SseStreamLimits.mirror}). */
export type StreamMirror = (streamId: string, seq: number, message: string, end: boolean) => void;

/** Default for {@link SseStreamLimits.maxBufferBytes}: 4 MiB. */
export const DEFAULT_STREAM_BUFFER_BYTES = 4 * 1024 * 1024;

const PROGRESS = "notifications/progress";

/** The progress token of a `notifications/progress`, else undefined. */
function progressTokenOf(message: JsonRpcMessage): ProgressToken | undefined {
  if ((message as { method?: unknown }).method !== PROGRESS) return undefined;
  const token = (message as { params?: { progressToken?: unknown } }).params?.progressToken;
  return typeof token === "string" || typeof token === "number" ? token : undefined;
}

/**
 * One logical SSE stream of a session (a POST request's stream, or the standalone GET stream).
 * Every event gets an id unique within the session (`<streamId>.<seq>`) and is kept in a bounded
 * replay buffer, so a client that lost the connection can reconnect with `Last-Event-ID` and get
 * exactly the events it missed, in order, from this stream only.
 *
 * Backpressure: while the connection is congested (its front holds more than its high-water mark
 * for a client that does not read), events wait in a backlog instead of the front, and a progress
 * notification replaces the waiting one with the same token in place (same event id, so it still
 * goes before the request's response, and progress still increases). Other events queue; past
 * `maxBufferBytes` the connection (not the stream) is closed, and the client resumes with
 * `Last-Event-ID` from the replay buffer. Without a connection, progress coalesces the same way
 * once half the replay buffer is events no connection has received, so a flood cannot push other
 * messages out of it. A connection that keeps up gets every progress notification.
 */
export class SseStream {
  readonly id: string;
  /** The JSON-RPC request this stream answers; undefined for the standalone stream. */
  readonly requestId: string | number | undefined;
  readonly #ring: ReplayRing;
  readonly #maxBuffer: number;
  readonly #mirror: StreamMirror | undefined;
  #seq = 0;
  /** The last event handed to a live connection: events after it are undelivered. */
  #delivered = 0;
  #writer: SseWriter | undefined;
  /** The connection is congested: events wait in the backlog until it drains. */
  #held = false;
  /** The undelivered events while held (made on first congestion). */
  #backlog: SseBacklog | undefined;
  /** The newest progress event per token since the last attach; valid while undelivered. */
  #progress: Map<ProgressToken, number> | undefined;
  #onDrain: (() => void) | undefined;
  #finished = false;

  constructor(
    id: string,
    requestId: string | number | undefined,
    maxEvents: number,
    limits: SseStreamLimits = {
      maxBufferBytes: DEFAULT_STREAM_BUFFER_BYTES,
      replay: new ReplayBudget(Number.POSITIVE_INFINITY),
    },
  ) {
    this.id = id;
    this.requestId = requestId;
    this.#ring = new ReplayRing(maxEvents, limits.replay);
    this.#maxBuffer = limits.maxBufferBytes;
    this.#mirror = limits.mirror;
  }

  /** A live connection is attached. */
  get connected(): boolean {
    return this.#writer !== undefined;
  }

  /** The response was written: nothing more will be sent on this stream. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Characters waiting for a congested connection (0 when it keeps up). */
  get bufferedBytes(): number {
    return this.#backlog?.bytes ?? 0;
  }

  /** Characters kept for replay. */
  get replayBytes(): number {
    return this.#ring.bytes;
  }

  /**
   * Attaches a connection, first replaying the stored events after `afterSeq` (by default, the
   * ones no connection has received yet), as far as the connection takes them.
   */
  attach(writer: SseWriter, afterSeq = this.#delivered): void {
    this.#close();
    this.#progress = undefined; // its seqs may now lie before `afterSeq`'s replay
    this.#writer = writer;
    writer.onClose(() => {
      if (this.#writer === writer) this.#detach();
    });
    let seq = Math.max(Math.min(afterSeq, this.#seq), this.#ring.first - 1);
    this.#delivered = seq;
    while (seq < this.#seq && !writer.congested) {
      const frame = this.#ring.get(++seq);
      if (frame !== "") writer.write(frame);
      this.#delivered = seq;
    }
    if (writer.congested) {
      this.#hold(writer);
      // No budget check: these frames are in the ring anyway, and the connection gets its chance.
      const backlog = this.#backlogOf();
      while (seq < this.#seq) backlog.push(this.#ring.get(++seq));
    }
    if (this.#finished && !this.#held) this.#close();
  }

  /** Sends the priming event (an id to resume from, and the client's retry delay). */
  prime(retryMs: number): void {
    const seq = ++this.#seq;
    this.#ring.store(seq, "");
    this.#mirror?.(this.id, seq, "", false);
    const writer = this.#writer;
    if (writer === undefined) return;
    const frame = formatPrimingEvent(`${this.id}.${seq}`, retryMs);
    if (this.#held) this.#queue(frame);
    else this.#write(writer, frame, seq);
  }

  /** Sends (and stores for replay) one message. */
  send(message: JsonRpcMessage): void {
    if (this.#finished) return;
    const writer = this.#writer;
    if (writer === undefined || this.#held) {
      this.#sendLater(message);
      return;
    }
    const seq = ++this.#seq;
    const json = messageJson(message);
    // Stored framed, as sent: a replay writes it again as is.
    const frame = formatSseEvent(this.id, seq, json);
    this.#ring.store(seq, frame);
    this.#mirror?.(this.id, seq, json, false);
    this.#write(writer, frame, seq);
  }

  /** Writes raw text to the live connection only (keep-alive comments; none while congested). */
  writeRaw(chunk: string): void {
    if (!this.#held) this.#writer?.write(chunk);
  }

  /** No more events: ends the live connection once it has the backlog. Stored events stay replayable. */
  finish(): void {
    if (!this.#finished) this.#mirror?.(this.id, this.#seq, "", true);
    this.#finished = true;
    if (!this.#held) this.#close();
  }

  /** Ends the live connection without finishing the stream (server shutdown, session end). */
  disconnect(): void {
    this.#close();
  }

  /** Drops the replay buffer (the session forgets this stream), giving its bytes back. */
  release(): void {
    this.#ring.clear();
  }

  /** Drops the oldest replayable event (the session's replay budget is exceeded); false if none. */
  trimReplay(): boolean {
    return this.#ring.trimOldest();
  }

  /** Hands `frame` (event `seq`) to the connection; holds later events if it is now congested. */
  #write(writer: SseWriter, frame: string, seq: number): void {
    if (!writer.write(frame)) return; // gone: its close callback detaches it
    this.#delivered = seq;
    if (writer.congested) this.#hold(writer);
  }

  /** `send` while congested or without a connection: coalesce progress, else queue. */
  #sendLater(message: JsonRpcMessage): void {
    const token = progressTokenOf(message);
    if (token !== undefined && this.#coalesce(token, message)) return;
    const seq = ++this.#seq;
    const json = messageJson(message);
    const frame = formatSseEvent(this.id, seq, json);
    if (token !== undefined) {
      this.#progress ??= new Map();
      this.#progress.set(token, seq);
    }
    this.#ring.store(seq, frame);
    this.#mirror?.(this.id, seq, json, false);
    if (this.#held) this.#queue(frame);
  }

  /**
   * Replaces the token's newest progress event in place when no connection has it yet and it
   * must: always while congested (the backlog must not grow with progress); without a connection,
   * once half the ring is undelivered events. A client back from a short drop so gets every step
   * it missed, and a flood still cannot push other messages out of the ring.
   */
  #coalesce(token: ProgressToken, message: JsonRpcMessage): boolean {
    const pending = this.#progress?.get(token);
    if (pending === undefined || pending <= this.#delivered) return false;
    // While held the backlog has every undelivered event; without a connection, the ring may not.
    if (!this.#held) {
      const ring = this.#ring;
      if (this.#mirror !== undefined) return false;
      if (!ring.has(pending) || this.#seq - this.#delivered < ring.capacity / 2) return false;
    }
    const json = messageJson(message);
    const frame = formatSseEvent(this.id, pending, json);
    if (this.#held) this.#replaceQueued(pending, frame);
    this.#ring.replace(pending, frame);
    // The copy's replay takes the newest message of a seq.
    this.#mirror?.(this.id, pending, json, false);
    return true;
  }

  #hold(writer: SseWriter): void {
    this.#held = true;
    this.#onDrain ??= () => this.#drain();
    writer.onDrain?.(this.#onDrain);
  }

  /** Adds the next undelivered event's frame to the backlog; closes the connection past the budget. */
  #queue(frame: string): void {
    this.#backlogOf().push(frame);
    this.#checkBudget();
  }

  #replaceQueued(seq: number, frame: string): void {
    this.#backlogOf().replace(seq - this.#delivered - 1, frame);
    this.#checkBudget();
  }

  /**
   * Past the budget, the connection goes (what it holds is freed); the stream stays, and the
   * client resumes from its last event id. A single event is never too many: it cannot be split,
   * and closing for it would make every resumption fail the same way.
   */
  #checkBudget(): void {
    const backlog = this.#backlog;
    if (!this.#held || backlog === undefined || backlog.bytes <= this.#maxBuffer || backlog.length <= 1)
      return;
    const writer = this.#writer as SseWriter;
    this.#detach();
    if (writer.abort !== undefined) writer.abort();
    else writer.end();
  }

  /** The congested connection can take more: writes the backlog until it is congested again. */
  #drain(): void {
    const writer = this.#writer;
    if (!this.#held || writer === undefined) return;
    const backlog = this.#backlogOf();
    while (backlog.length > 0) {
      if (writer.congested) {
        this.#hold(writer);
        return;
      }
      const frame = backlog.shift() as string;
      if (frame !== "" && !writer.write(frame)) {
        this.#detach(); // gone (its close callback follows)
        return;
      }
      this.#delivered++;
    }
    this.#held = false;
    if (this.#finished) this.#close();
    else if (writer.congested) this.#hold(writer);
  }

  #backlogOf(): SseBacklog {
    this.#backlog ??= new SseBacklog();
    return this.#backlog;
  }

  /** Forgets the connection (it is gone or going) and what waited for it. */
  #detach(): void {
    this.#writer = undefined;
    this.#held = false;
    this.#backlog?.clear();
  }

  #close(): void {
    const writer = this.#writer;
    this.#detach();
    writer?.end();
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
