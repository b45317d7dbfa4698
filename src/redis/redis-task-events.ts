import { FastestMcpError } from "../errors.js";
import type { SharedTaskEvent, TaskEventBus } from "../tasks/task-event-bus.js";
import { afterTask } from "../util/after-task.js";
import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import { randomUUID } from "../util/random-uuid.js";
import { loadRedisDriver, type RedisClient } from "./redis-driver.js";
import { CONNECTION_DEFAULTS, redactedUrl } from "./redis-options.js";

/** Options of {@link RedisTaskEvents}. */
export interface RedisTaskEventsOptions {
  /** A `redis://` or `rediss://` URL; the bus opens two connections (one for its blocking read). */
  url: string;
  /** What the stream's key starts with (default `"fastestmcp:"`); the key is `<prefix>events`. */
  prefix?: string;
  /**
   * About how many entries the stream keeps (default 10,000; `XADD … MAXLEN ~`; an entry holds
   * the events one instance published in one turn of its event loop, up to 500): an instance
   * whose read connection was away resumes where it stopped as long as fewer entries were added
   * meanwhile; past that it notices the gap and its runtime resynchronises from the store (see
   * `TaskEventBus`). Give every instance of a prefix the same value.
   */
  maxLen?: number;
  /** How long one blocking read waits before it asks again (default 5,000 ms). */
  blockMs?: number;
  /** Extra ioredis options for both connections (`tls`, `username`, …), merged over the bus's own. */
  redisOptions?: Record<string, unknown>;
  /** Where failed publishes, unreadable entries and gaps are reported (default: a line on stderr). */
  logger?: DiagnosticLogger;
}

type StreamEntry = [id: string, fields: string[]];
/** An entry as the reader gets it: Buffers, decoded only for the entries of other instances. */
type RawEntry = [id: Buffer, fields: Buffer[]];

/** The most events one stream entry holds. */
const ENTRY_EVENTS = 500;
/** The most entries one read returns (entries of up to 500 events: a reply stays within some MiB). */
const READ_ENTRIES = 50;

/** What the bus uses of ioredis beyond {@link RedisClient}. */
interface StreamClient extends RedisClient {
  xinfo(subcommand: "STREAM", key: string): Promise<unknown[]>;
  xreadBuffer(...args: Array<string | number>): Promise<Array<[key: Buffer, entries: RawEntry[]]> | null>;
  xrevrange(key: string, end: string, start: string, count: "COUNT", n: number): Promise<StreamEntry[]>;
  pipeline(): {
    xadd(...args: Array<string | number>): unknown;
    exec(): Promise<Array<[Error | null, unknown]> | null>;
  };
}

/**
 * A {@link TaskEventBus} on one Redis Stream per prefix (the pattern of BullMQ's QueueEvents):
 * every instance appends its events with `XADD`, the events of one turn of the event loop (a
 * progress flush of every running task, say) in one entry of up to 500, and reads everybody's
 * entries with a blocking `XREAD` on a connection of its own, skipping its own unparsed. One
 * stream keeps one order for all tasks, so a task's events arrive in the order they were
 * published. The read resumes from the last id it saw: a reconnect (ioredis re-sends the pending
 * read) neither loses nor repeats an event, unless more than `maxLen` entries were added while
 * it was away (or while it was busy): then the stream was trimmed past the last id it saw, and
 * the bus reports the gap to its logger and calls `start`'s `lost`. A status event's record goes
 * without its `result` (a task's result can be large; a waiter reads it from the store).
 *
 * Noticing a gap costs nothing while the reader keeps up: entries are only trimmed once more than
 * `maxLen` follow them, so after a gap every entry still kept is newer than the last one read, and
 * the next read comes back full (`min(50, maxLen)` entries). Only a full read is checked, with one
 * `XINFO STREAM`: a gap when the oldest entry the stream keeps is newer than the last one read.
 * That can also be a reader at the very edge whose last entry was trimmed right after it read it
 * (nothing lost): it resynchronises all the same, which costs only reads of the store.
 */
export class RedisTaskEvents implements TaskEventBus {
  /** This instance's mark on its entries (field `o`), so its reader skips them. */
  readonly origin = randomUUID();
  readonly #originBytes = Buffer.from(this.origin);
  readonly key: string;
  readonly #writer: StreamClient;
  readonly #reader: StreamClient;
  readonly #maxLen: number;
  readonly #blockMs: number;
  /** A read of this many entries may follow a gap: it is checked (see the class comment). */
  readonly #fullRead: number;
  readonly #logger: DiagnosticLogger;
  readonly #where: string;
  #queue: SharedTaskEvent[] = [];
  #scheduled = false;
  readonly #sending = new Set<Promise<void>>();
  #lastId: string | undefined;
  #started: Promise<void> | undefined;
  #reading: Promise<void> | undefined;
  #closed = false;

  /** @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for bad options, `FMCP_ERR_STORE_DRIVER_MISSING` without ioredis. */
  constructor(options: RedisTaskEventsOptions) {
    const invalid = (message: string) => new FastestMcpError("FMCP_ERR_OPTION_INVALID", message);
    if (typeof options?.url !== "string" || !/^rediss?:\/\//.test(options.url)) {
      throw invalid(
        `RedisTaskEvents url must start with redis:// or rediss://, got ${JSON.stringify(options?.url)}.`,
      );
    }
    const prefix = options.prefix ?? "fastestmcp:";
    if (typeof prefix !== "string" || prefix.length === 0)
      throw invalid("RedisTaskEvents prefix must be a non-empty string.");
    this.#maxLen = options.maxLen ?? 10_000;
    this.#blockMs = options.blockMs ?? 5000;
    for (const [name, value] of [
      ["maxLen", this.#maxLen],
      ["blockMs", this.#blockMs],
    ] as const) {
      if (!Number.isInteger(value) || value < 1 || value > 100_000_000) {
        throw invalid(
          `RedisTaskEvents option ${name} must be an integer from 1 to 100000000, got ${String(value)}.`,
        );
      }
    }
    this.key = `${prefix}events`;
    this.#fullRead = Math.min(READ_ENTRIES, this.#maxLen);
    this.#logger = options.logger ?? stderrLogger;
    this.#where = redactedUrl(options.url);
    const Redis = loadRedisDriver();
    const base = { ...CONNECTION_DEFAULTS, ...options.redisOptions };
    this.#writer = new Redis(options.url, base) as StreamClient;
    // The reader waits through outages (no retry limit): its pending XREAD is re-sent on reconnect.
    this.#reader = new Redis(options.url, { ...base, maxRetriesPerRequest: null }) as StreamClient;
    // Without listeners ioredis prints every connection error; a failed command reports its own.
    for (const client of [this.#writer, this.#reader]) client.on("error", () => undefined);
  }

  start(deliver: (event: SharedTaskEvent) => void, lost: () => void = () => undefined): Promise<void> {
    this.#started ??= this.#start(deliver, lost).catch((error: unknown) => {
      this.#started = undefined;
      throw error;
    });
    return this.#started;
  }

  publish(event: SharedTaskEvent): void {
    if (this.#closed) return;
    this.#queue.push(event);
    if (this.#scheduled) return;
    this.#scheduled = true;
    afterTask(() => {
      this.#scheduled = false;
      this.#send();
    });
  }

  async flush(): Promise<void> {
    this.#send();
    await Promise.all(this.#sending);
  }

  /** Sends what is queued, stops reading and closes both connections. Later calls do nothing more. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    this.#reader.disconnect();
    await this.#reading;
    if (this.#writer.status === "ready") await this.#writer.quit().catch(() => undefined);
    this.#writer.disconnect();
  }

  async #start(deliver: (event: SharedTaskEvent) => void, lost: () => void): Promise<void> {
    if (this.#closed) throw new FastestMcpError("FMCP_ERR_CANCELLED", "The task event bus is closed.");
    // Start after the newest entry: what is published from now on is read, nothing older.
    const newest = await this.#writer.xrevrange(this.key, "+", "-", "COUNT", 1).catch((error: unknown) => {
      throw new FastestMcpError(
        "FMCP_ERR_STORE_UNREACHABLE",
        `RedisTaskEvents: Redis at ${this.#where} did not answer: ${String((error as Error)?.message ?? error)}.`,
        { cause: error },
      );
    });
    this.#lastId = newest[0]?.[0] ?? "0-0";
    this.#reading = this.#read(deliver, lost);
  }

  /**
   * One blocking XREAD after another, from the last id seen, until closed. Read as Buffers: the
   * entries of this instance (every reader reads every entry) are skipped without being decoded,
   * an entry holding up to 500 events.
   */
  async #read(deliver: (event: SharedTaskEvent) => void, lost: () => void): Promise<void> {
    while (!this.#closed) {
      let reply: Array<[Buffer, RawEntry[]]> | null;
      try {
        reply = await this.#reader.xreadBuffer(
          "COUNT",
          READ_ENTRIES,
          "BLOCK",
          this.#blockMs,
          "STREAMS",
          this.key,
          this.#lastId as string,
        );
      } catch (error) {
        if (this.#closed) return;
        this.#logger.error("could not read task events from Redis; retrying", { where: this.#where, error });
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      for (const [, entries] of reply ?? []) {
        if (entries.length >= this.#fullRead) void this.#checkGap(this.#lastId as string, lost);
        for (const [id, fields] of entries) {
          this.#lastId = id.toString();
          this.#deliverEntry(fields, deliver);
        }
      }
    }
  }

  /**
   * After a full read from `after`: whether the stream deleted an entry newer than `after` (see
   * the class comment); if so the gap is reported and `lost` called. Never rejects.
   */
  async #checkGap(after: string, lost: () => void): Promise<void> {
    let info: unknown[];
    try {
      info = await this.#writer.xinfo("STREAM", this.key);
    } catch (error) {
      // Cannot tell: take it as a gap, since a resynchronisation only costs reads of the store.
      this.#logger.error("could not check the task event stream for a gap; resynchronising", {
        key: this.key,
        error,
      });
      if (!this.#closed) lost();
      return;
    }
    const field = (name: string): unknown => {
      const at = info.indexOf(name);
      return at === -1 ? undefined : info[at + 1];
    };
    const recorded = field("recorded-first-entry-id");
    const firstKept =
      typeof recorded === "string" ? recorded : (field("first-entry") as StreamEntry | null | undefined)?.[0];
    const added = field("entries-added");
    const length = field("length");
    // From "0-0" (the stream was empty at start) every entry is newer: trimmed at all is a gap.
    const gap =
      after === "0-0"
        ? typeof added === "number" && typeof length === "number"
          ? added > length
          : firstKept !== undefined
        : firstKept !== undefined && compareIds(firstKept, after) > 0;
    if (!gap || this.#closed) return;
    this.#logger.error(
      "task events were trimmed from the stream before this instance read them; resynchronising from the store",
      { key: this.key, lastRead: after, firstKept, maxLen: this.#maxLen },
    );
    lost();
  }

  #deliverEntry(fields: Buffer[], deliver: (event: SharedTaskEvent) => void): void {
    let origin: Buffer | undefined;
    let json: Buffer | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const name = fields[i] as Buffer;
      // Field names are one byte: "o" (0x6f) and "e" (0x65).
      if (name.length === 1 && name[0] === 0x6f) origin = fields[i + 1];
      else if (name.length === 1 && name[0] === 0x65) json = fields[i + 1];
    }
    if (json === undefined || origin?.equals(this.#originBytes)) return;
    let events: SharedTaskEvent[];
    try {
      events = JSON.parse(json.toString()) as SharedTaskEvent[];
    } catch (error) {
      this.#logger.error("skipped task events that are not JSON", { key: this.key, error });
      return;
    }
    for (const event of events) deliver(event);
  }

  #send(): void {
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    const pipeline = this.#writer.pipeline();
    // One entry per ENTRY_EVENTS events: a flush of thousands of tasks' progress is a few XADDs.
    for (let from = 0; from < batch.length; from += ENTRY_EVENTS) {
      const json = encode(batch.slice(from, from + ENTRY_EVENTS), this.#logger);
      pipeline.xadd(this.key, "MAXLEN", "~", this.#maxLen, "*", "o", this.origin, "e", json);
    }
    const sent = pipeline.exec().then(
      (replies) => {
        const failed = replies?.find(([error]) => error !== null)?.[0];
        if (failed) this.#lost(batch.length, failed);
      },
      (error: unknown) => this.#lost(batch.length, error),
    );
    this.#sending.add(sent);
    void sent.finally(() => this.#sending.delete(sent));
  }

  #lost(events: number, error: unknown): void {
    this.#logger.error("could not publish task events to Redis", { where: this.#where, events, error });
  }
}

/**
 * An entry's JSON: an array of events, a status event's record without its result. An event
 * JSON cannot hold (a log entry's data with a BigInt or a cycle) stays local, reported.
 */
function encode(events: SharedTaskEvent[], logger: DiagnosticLogger): string {
  const parts: string[] = [];
  for (const event of events) {
    try {
      if ((event.type === "status" || event.type === "progress") && event.task.result !== undefined) {
        const { result: _result, ...task } = event.task;
        parts.push(JSON.stringify({ ...event, task }));
      } else {
        parts.push(JSON.stringify(event));
      }
    } catch (error) {
      logger.error("a task event could not be published: not JSON", { type: event.type, error });
    }
  }
  return `[${parts.join(",")}]`;
}

/** Orders two stream entry ids (`<ms>-<seq>`, each part up to 2^64: compared as digits, not numbers). */
function compareIds(a: string, b: string): number {
  const [aMs = "", aSeq = ""] = a.split("-");
  const [bMs = "", bSeq = ""] = b.split("-");
  return compareDigits(aMs, bMs) || compareDigits(aSeq, bSeq);
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
