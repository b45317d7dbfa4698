import { type JsonRpcMessage, messageJson } from "../../protocol/jsonrpc.js";
import type { SessionEvent, SessionEventLog, StreamReplay } from "../../server/session/session-directory.js";
import { afterTask } from "../../util/after-task.js";
import type { DiagnosticLogger } from "../../util/diagnostics.js";
import { formatSseEvent, type SseWriter } from "./sse-writer.js";

/** The standalone GET stream's id. */
export const STANDALONE = "0";

/**
 * A stream of a shared session whose events come from the backend's event log rather than from
 * this instance: the standalone GET stream (every instance appends to it, the log numbers its
 * events), or a request stream another instance produces, resumed here with `Last-Event-ID`. A
 * connection first gets what the log kept after the event it names (or, on the standalone stream
 * without one, after what a connection last received), then every event as it is appended,
 * until the stream ends (a request stream, after its response) or the connection goes.
 *
 * Backpressure: while the connection is congested, live events are not written (the log has
 * them); once it drains, what it missed is read back from the log, so nothing is held here.
 */
export class LogFedStream {
  readonly id: string;
  readonly #log: SessionEventLog;
  readonly #sessionId: string;
  readonly #logger: DiagnosticLogger;
  #writer: SseWriter | undefined;
  #unfollow: (() => void) | undefined;
  /** Live events that arrived while the log was being read (undefined: none is being read). */
  #pending: SessionEvent[] | undefined;
  #replay: StreamReplay | undefined;
  /** The last event the connection got. */
  #delivered = 0;
  #paused = false;
  #markScheduled = false;

  constructor(log: SessionEventLog, sessionId: string, id: string, logger: DiagnosticLogger) {
    this.#log = log;
    this.#sessionId = sessionId;
    this.id = id;
    this.#logger = logger;
  }

  /** A live connection is attached (or being prepared). */
  get connected(): boolean {
    return this.#writer !== undefined || this.#pending !== undefined;
  }

  /** Never: a shared stream ends with its connection. */
  get finished(): boolean {
    return false;
  }

  /** Appends a message to the standalone stream: the connection holding it, wherever it is, gets it. */
  send(message: JsonRpcMessage): void {
    this.#log
      .append(this.#sessionId, this.id, undefined, messageJson(message), false)
      .catch((error: unknown) => {
        this.#logger.error("could not send a message to a shared session's stream", { error });
      });
  }

  /**
   * Starts following the log and reads what it kept after `afterSeq` (undefined: after what a
   * connection last received). Resolves false when the log does not know the stream (a
   * `Last-Event-ID` into a stream that is gone). Rejects when the log cannot be reached.
   */
  async open(afterSeq: number | undefined): Promise<boolean> {
    this.disconnect();
    const pending: SessionEvent[] = [];
    this.#pending = pending;
    try {
      const unfollow = await this.#log.follow(this.#sessionId, (event) => this.#onLive(event));
      this.#unfollow = unfollow;
      const replay = await this.#log.read(this.#sessionId, this.id, afterSeq);
      if (this.#pending !== pending) {
        unfollow();
        return false; // disconnected meanwhile
      }
      if (!replay.known) {
        this.disconnect();
        return false;
      }
      this.#replay = replay;
      return true;
    } catch (error) {
      if (this.#pending === pending) this.disconnect();
      throw error;
    }
  }

  /** Attaches the connection after {@link open} resolved true: the replay, then live events. */
  attach(writer: SseWriter): void {
    const replay = this.#replay as StreamReplay;
    this.#replay = undefined;
    this.#writer = writer;
    writer.onClose(() => {
      if (this.#writer === writer) this.disconnect();
    });
    this.#delivered = replay.after;
    this.#catchUp(replay.events, replay.ended);
  }

  /** Writes raw text to the live connection (keep-alive comments). */
  writeRaw(chunk: string): void {
    if (!this.#paused) this.#writer?.write(chunk);
  }

  /** Ends the live connection and stops following the log. */
  disconnect(): void {
    const writer = this.#writer;
    this.#writer = undefined;
    this.#pending = undefined;
    this.#replay = undefined;
    this.#paused = false;
    this.#unfollow?.();
    this.#unfollow = undefined;
    writer?.end();
  }

  /** Writes `events` (read from the log), then what arrived live meanwhile; ends after an end mark. */
  #catchUp(events: readonly SessionEvent[], ended: boolean): void {
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    for (const event of events) if (!this.#write(event)) return;
    for (const event of pending) {
      if (event.end) ended = true;
      else if (!this.#write(event)) return;
    }
    if (ended) this.disconnect();
  }

  #onLive(event: SessionEvent): void {
    if (event.stream !== this.id) return;
    if (this.#pending !== undefined) {
      this.#pending.push(event);
      return;
    }
    if (this.#writer === undefined || this.#paused) return;
    // Every event of the stream was published before its end mark: the connection has them.
    if (event.end) this.disconnect();
    else this.#write(event);
  }

  /** Writes one event unless the connection had it; false once the connection is congested or gone. */
  #write(event: SessionEvent): boolean {
    const writer = this.#writer;
    if (writer === undefined) return false;
    if (event.seq <= this.#delivered) return true;
    this.#delivered = event.seq;
    this.#scheduleMark();
    if (event.message === "") return true; // a priming event: nothing to send again
    if (!writer.write(formatSseEvent(this.id, event.seq, event.message))) return false;
    if (writer.congested !== true) return true;
    this.#paused = true;
    writer.onDrain?.(() => this.#resume());
    return false;
  }

  /** The connection drained: read what it missed from the log, then follow live again. */
  #resume(): void {
    if (this.#writer === undefined || !this.#paused) return;
    this.#paused = false;
    this.#pending = [];
    this.#log.read(this.#sessionId, this.id, this.#delivered).then(
      (replay) => {
        if (this.#pending !== undefined) this.#catchUp(replay.events, replay.ended);
      },
      (error: unknown) => {
        this.#logger.warn("could not read a shared session's stream back; the client resumes", { error });
        this.disconnect();
      },
    );
  }

  /** On the standalone stream, records what was delivered (once per turn): a GET without `Last-Event-ID` starts after it. */
  #scheduleMark(): void {
    if (this.id !== STANDALONE || this.#markScheduled) return;
    this.#markScheduled = true;
    afterTask(() => {
      this.#markScheduled = false;
      this.#log.markDelivered(this.#sessionId, this.id, this.#delivered);
    });
  }
}
