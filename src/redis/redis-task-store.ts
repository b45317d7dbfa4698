import { InternalError } from "../protocol/protocol-error.js";
import { decodeTaskCursor, encodeTaskCursor } from "../tasks/task-cursor.js";
import type { TaskPatch, TaskRecord } from "../tasks/task-record.js";
import type { RetainedTasks } from "../tasks/task-retention.js";
import { isTerminalStatus } from "../tasks/task-status.js";
import type {
  FinishedSince,
  NewTaskRecord,
  OwnerQuota,
  ProgressWrite,
  StoredWrite,
  TaskPage,
  TaskStore,
  TerminalPatch,
} from "../tasks/task-store.js";
import { randomUUID } from "../util/random-uuid.js";
import { loadRedisDriver, type RedisClient, type RedisPipeline } from "./redis-driver.js";
import { redisError } from "./redis-errors.js";
import { RedisLease } from "./redis-lease.js";
import { type RedisTaskStoreOptions, redactedUrl, redisOptions } from "./redis-options.js";
import { hashOf, hashRecord, newRecordFields, patchFields, storedRecord } from "./redis-records.js";
import { SCRIPTS, type ScriptName } from "./redis-scripts.js";

/** How many expired tasks one script run deletes: Redis runs one script at a time, so keep each short. */
const EXPIRE_BATCH = 500;
/**
 * How many tasks' progress one script writes: a flush of 10,000 tasks is 10 scripts in one
 * pipeline, each holding Redis a millisecond or so.
 */
const PROGRESS_BATCH = 1000;

type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

/** The one plain set command the store sends besides its scripts. */
interface RedisSetClient {
  srem(key: string, member: string): Promise<number>;
}

/**
 * A {@link TaskStore} in Redis (ioredis, an optional peer dependency: `npm install ioredis`), for
 * several server instances sharing tasks: a task created through one is seen, awaited, listed
 * and cancelled through any other with the same `prefix`. Every write is one Lua script, loaded
 * once and run by its SHA (EVALSHA), so the conditional writes, the per-owner quotas and `seq`
 * (a Redis counter) are atomic across instances; records are JSON in a hash per task (see
 * redis-scripts.ts for the keys).
 *
 * The constructor connects in the background; a command sent before the connection is up waits
 * for it. When Redis cannot be reached, calls fail with `FMCP_ERR_STORE_UNREACHABLE` after a few
 * reconnect attempts (about 1.5 s), and the store keeps reconnecting.
 *
 * Each instance holds a lease (see redis-lease.ts): when one dies with tasks running, another
 * fails them as interrupted within about `leaseMs`, so no task stays `working` for good.
 *
 * Expiry: records are deleted by `expire()` (the runtime's sweeper, every `sweepIntervalMs`) and
 * when looked up, not by Redis key TTLs: a key Redis drops by itself would leave its owner's
 * index entries and charges behind, and the quotas would count a task that is gone.
 */
export class RedisTaskStore implements TaskStore {
  readonly prefix: string;
  readonly progressFlushMs: number;
  readonly #client: RedisClient;
  /** Whether `close()` ends the connection (it opened it). */
  readonly #owned: boolean;
  readonly #where: string;
  readonly #finishedLogSize: number;
  readonly #lease: RedisLease;
  /** What hears of the tasks this store's lease failed (see `onEnded`). */
  readonly #endedListeners = new Set<(record: TaskRecord) => void>();
  readonly #onError = (error: Error) => {
    this.#lastConnectionError = error;
  };
  #lastConnectionError: Error | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  /**
   * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for bad options,
   * `FMCP_ERR_STORE_DRIVER_MISSING` without ioredis. A Redis that is down fails the calls, not this.
   */
  constructor(given: RedisTaskStoreOptions) {
    const options = redisOptions(given);
    this.prefix = options.prefix;
    this.progressFlushMs = options.progressFlushMs;
    this.#finishedLogSize = options.finishedLogSize;
    if (options.client !== undefined) {
      this.#client = options.client;
      this.#owned = false;
      this.#where = "the given client";
    } else {
      const url = options.url as string;
      const Redis = loadRedisDriver();
      this.#client = new Redis(url, options.redisOptions);
      this.#owned = true;
      this.#where = redactedUrl(url);
    }
    // Without a listener ioredis prints every connection error; they surface through the calls.
    this.#client.on("error", this.#onError);
    for (const [name, definition] of Object.entries(SCRIPTS)) this.#client.defineCommand(name, definition);
    const host = {
      beat: async (runner: string, leaseMs: number, releasing: boolean) =>
        (await this.#run(
          "fastestmcpTaskBeat",
          this.#key("runners"),
          runner,
          leaseMs,
          releasing ? "1" : "0",
        )) as string[],
      fail: async (taskId: string, patch: TerminalPatch, bytes: number) => {
        const failed = await this.#complete(taskId, patch, bytes, undefined);
        if (failed !== undefined) this.#ended(failed.record);
        return failed;
      },
    };
    this.#lease = new RedisLease(host, randomUUID(), options.leaseMs);
  }

  async create(record: NewTaskRecord, quota: OwnerQuota): Promise<StoredWrite | undefined> {
    const { base, fields } = newRecordFields(record);
    const reply = (await this.#run(
      "fastestmcpTaskCreate",
      this.#key("all:", record.owner),
      record.taskId,
      record.owner,
      quota.maxTasks,
      base,
      record.expiresAt === null ? "" : record.expiresAt,
      this.#lease.runner,
      ...fields,
    )) as [number, string[]] | null;
    if (reply === null) return undefined;
    const [seq, evicted] = reply;
    // A copy of the record as stored, from the JSON already made for it (no second stringify).
    return { record: storedRecord(base, fields, seq), evicted };
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    this.#assertOpen();
    try {
      return hashRecord(await this.#client.hgetall(this.#key("t:", taskId)));
    } catch (error) {
      throw redisError(error, this.#where, this.#lastConnectionError);
    }
  }

  async update(taskId: string, patch: TaskPatch): Promise<TaskRecord | undefined> {
    if (patch.status !== undefined && isTerminalStatus(patch.status)) {
      return (await this.#complete(taskId, patch as TerminalPatch, 0, undefined))?.record;
    }
    const reply = (await this.#run(
      "fastestmcpTaskUpdate",
      this.#key("t:", taskId),
      taskId,
      ...patchFields(patch),
    )) as string[] | null;
    return reply === null ? undefined : hashRecord(hashOf(reply));
  }

  /**
   * One round trip for the whole batch: a pipeline of a few scripts, each writing the progress of
   * up to {@link PROGRESS_BATCH} tasks (each task's write conditional on its own). Per task, only
   * its three JSON values are made, joined into one string per script: at 10,000 running tasks
   * every flush is in flight for a round trip while the handlers go on, and whatever it holds
   * meanwhile (a command, arguments, promises per task) outlives the young generation and piles
   * up in the old one until the next full GC (the peak RSS of `bench/tasks.ts`).
   */
  async updateProgress(writes: ReadonlyArray<ProgressWrite>): Promise<boolean[]> {
    this.#assertOpen();
    if (writes.length === 0) return [];
    const pipeline = this.#client.pipeline() as RedisPipeline & Record<ScriptName, ScriptCall>;
    for (let from = 0; from < writes.length; from += PROGRESS_BATCH) {
      const to = Math.min(from + PROGRESS_BATCH, writes.length);
      const values: string[] = [];
      const args: string[] = [this.prefix, ""];
      for (let i = from; i < to; i++) {
        const { taskId, progress } = writes[i] as ProgressWrite;
        args.push(taskId);
        values.push(
          JSON.stringify(progress),
          JSON.stringify(progress.reportedAt),
          progress.message === undefined ? "" : JSON.stringify(progress.message),
        );
      }
      args[1] = values.join("\n");
      void pipeline.fastestmcpTaskProgress(this.#key("t:", (writes[from] as ProgressWrite).taskId), ...args);
    }
    let replies: Array<[Error | null, unknown]> | null;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      throw redisError(error, this.#where, this.#lastConnectionError);
    }
    const stored: boolean[] = [];
    for (const [error, reply] of replies ?? []) {
      if (error !== null) throw redisError(error, this.#where, this.#lastConnectionError);
      const written = reply as string;
      for (let i = 0; i < written.length; i++) stored.push(written.charCodeAt(i) === 49); // "1"
    }
    return stored;
  }

  complete(
    taskId: string,
    patch: TerminalPatch,
    resultBytes: number,
    quota: OwnerQuota,
  ): Promise<StoredWrite | undefined> {
    return this.#complete(taskId, patch, resultBytes, quota.maxResultBytes);
  }

  async list(owner: string, options: { cursor?: string | undefined; limit: number }): Promise<TaskPage> {
    const after = options.cursor === undefined ? 0 : decodeTaskCursor(options.cursor);
    const reply = (await this.#run(
      "fastestmcpTaskList",
      this.#key("all:", owner),
      after,
      options.limit + 1,
    )) as string[][];
    const records = reply.map((flat) => hashRecord(hashOf(flat)) as TaskRecord);
    const more = records.length > options.limit;
    const tasks = records.slice(0, options.limit);
    const last = tasks.at(-1);
    return more && last !== undefined ? { tasks, nextCursor: encodeTaskCursor(last.seq) } : { tasks };
  }

  async usage(owner: string): Promise<RetainedTasks> {
    const [tasks, finished, resultBytes] = (await this.#run(
      "fastestmcpTaskUsage",
      this.#key("all:", owner),
      owner,
    )) as [number, number, number];
    return { tasks, unfinished: tasks - finished, resultBytes };
  }

  async delete(taskId: string): Promise<boolean> {
    return (await this.#run("fastestmcpTaskDelete", this.#key("t:", taskId), taskId)) === 1;
  }

  /** Deletes in batches of a few hundred, one script each, so Redis is never held long. */
  async expire(now: number): Promise<string[]> {
    const expired: string[] = [];
    for (;;) {
      const [scanned, ids] = (await this.#run(
        "fastestmcpTaskExpire",
        this.#key("expiry"),
        now,
        EXPIRE_BATCH,
      )) as [number, string[]];
      expired.push(...ids);
      if (scanned < EXPIRE_BATCH) return expired;
    }
  }

  async finishedSince(cursor: number | undefined): Promise<FinishedSince> {
    const [now, taskIds] = (await this.#run("fastestmcpTaskFinished", this.#key("finlog"), cursor ?? "")) as [
      number,
      string[],
    ];
    return { taskIds, cursor: now };
  }

  /**
   * `listener` gets the record of every task this instance's lease fails (a dead instance's:
   * see the class comment), once its failure is stored; the runtime announces it as a status
   * event. Only the instance whose beat wrote the failure tells its listeners.
   */
  onEnded(listener: (record: TaskRecord) => void): () => void {
    this.#endedListeners.add(listener);
    return () => this.#endedListeners.delete(listener);
  }

  /**
   * Takes an unfinished task off this instance's lease: a job queue runs it now (its stalled
   * check, not the lease, deals with a worker that dies), so this instance dying must not fail it.
   */
  async handOver(taskId: string): Promise<void> {
    this.#assertOpen();
    try {
      await (this.#client as unknown as RedisSetClient).srem(
        this.#key("running:", this.#lease.runner),
        taskId,
      );
    } catch (error) {
      throw redisError(error, this.#where, this.#lastConnectionError);
    }
  }

  /**
   * Ends this instance's lease (tasks it still runs are failed as interrupted: a runtime's
   * `close()` cancels them first, so normally there are none), then the connection the store
   * opened from `url`, after the commands already sent are answered; a `client` given to it stays
   * open. Calls after this reject.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // With Redis away the lease lapses by itself, and another instance fails what this one ran.
    await this.#lease.release(this.#client.status === "ready");
    this.#closed = true;
    this.#client.off("error", this.#onError);
    if (!this.#owned) return;
    if (this.#client.status === "ready") {
      try {
        await this.#client.quit();
        return;
      } catch {
        // The connection broke while closing: disconnect below ends it for good.
      }
    }
    this.#client.disconnect();
  }

  async #complete(
    taskId: string,
    patch: TerminalPatch,
    resultBytes: number,
    maxResultBytes: number | undefined,
  ): Promise<StoredWrite | undefined> {
    const reply = (await this.#run(
      "fastestmcpTaskComplete",
      this.#key("t:", taskId),
      taskId,
      resultBytes,
      maxResultBytes ?? "",
      this.#finishedLogSize,
      ...patchFields(patch),
    )) as [string[], string[]] | null;
    if (reply === null) return undefined;
    return { record: hashRecord(hashOf(reply[0])) as TaskRecord, evicted: reply[1] };
  }

  #ended(record: TaskRecord): void {
    for (const listener of this.#endedListeners) {
      try {
        listener(record);
      } catch {
        // A listener's failure is its own (the runtime's never throws).
      }
    }
  }

  /** Runs a script: KEYS[1] first, then ARGV from the second element on, after the prefix. */
  async #run(name: ScriptName, key: string, ...args: Array<string | number>): Promise<unknown> {
    this.#assertOpen();
    const call = (this.#client as unknown as Record<ScriptName, ScriptCall>)[name];
    try {
      return await call.call(this.#client, key, this.prefix, ...args);
    } catch (error) {
      throw redisError(error, this.#where, this.#lastConnectionError);
    }
  }

  /** A key of this store: the prefix, a kind (`t:`, `all:`, …) and an opaque id or owner. */
  #key(kind: string, id = ""): string {
    return `${this.prefix}${kind}${id}`;
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new InternalError(`The task store at ${this.#where} is closed.`, "internal-error");
    }
  }
}
