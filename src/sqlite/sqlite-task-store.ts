import { InternalError } from "../protocol/protocol-error.js";
import { decodeTaskCursor, encodeTaskCursor } from "../tasks/task-cursor.js";
import { INTERRUPTED_STATUS_MESSAGE, TaskInterruptedError } from "../tasks/task-errors.js";
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
import { GroupCommit } from "./group-commit.js";
import { RunnerLease } from "./runner-lease.js";
import { loadSqliteDriver, type SqliteDatabase } from "./sqlite-driver.js";
import { storeError } from "./sqlite-errors.js";
import { type SqliteTaskStoreOptions, storeOptions } from "./sqlite-options.js";
import { patched, recordJson, rowRecord, type TaskRow } from "./sqlite-rows.js";
import { migrate } from "./sqlite-schema.js";
import { prepareStatements, type Statements } from "./sqlite-statements.js";

/** How much this connection wrote, for benchmarks and metrics. */
export interface SqliteWriteStats {
  /** Write transactions committed or rolled back. */
  transactions: number;
  /** Write statements run (inserts, updates, deletes). */
  statements: number;
}

/**
 * A {@link TaskStore} in a SQLite file (better-sqlite3, an optional peer dependency: `npm install
 * better-sqlite3`): task records survive restarts and crashes, and several processes on one
 * machine can share one file. WAL mode, a versioned schema migrated on open, and only prepared
 * statements with bound values. Writes are transactions (`BEGIN IMMEDIATE`), so the conditional
 * writes, quotas and `seq` hold across processes.
 *
 * Opening is synchronous and fails at once with a clear `FastestMcpError` (`FMCP_ERR_STORE_…`)
 * for a missing driver, an unusable, damaged or locked file.
 */
export class SqliteTaskStore implements TaskStore {
  readonly path: string;
  readonly progressFlushMs: number;
  readonly #db: SqliteDatabase;
  readonly #s: Statements;
  readonly #lease: RunnerLease;
  readonly #heartbeat: ReturnType<typeof setInterval>;
  readonly #stats: SqliteWriteStats = { transactions: 0, statements: 0 };
  /** One transaction wrapper for every write (better-sqlite3 builds one per `transaction()` call). */
  readonly #transaction: ((work: () => unknown) => unknown) & { immediate(work: () => unknown): unknown };
  /** Where the async API's writes go: one transaction per turn of the event loop. */
  readonly #group: GroupCommit;
  #closed = false;

  /** @throws {FastestMcpError} `FMCP_ERR_STORE_…` when the store cannot open (see docs/errors.md). */
  constructor(given: SqliteTaskStoreOptions) {
    const options = storeOptions(given);
    this.path = options.path;
    this.progressFlushMs = options.progressFlushMs;
    const Database = loadSqliteDriver();
    let db: SqliteDatabase | undefined;
    try {
      db = new Database(options.path, { timeout: options.busyTimeoutMs });
      // Readers never block the writer, and a commit survives a killed process (not a power cut).
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      const check = db.pragma("quick_check(1)", { simple: true });
      if (check !== "ok")
        throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: "SQLITE_CORRUPT" });
      migrate(db, options.path);
      if (options.maxSizeBytes !== undefined) {
        const pageSize = db.pragma("page_size", { simple: true }) as number;
        // A pragma takes no bound parameter: the value is a whole number computed here.
        db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxSizeBytes / pageSize))}`);
      }
      this.#db = db;
      this.#s = prepareStatements(db);
      this.#transaction = db.transaction((work: () => unknown) => work());
      this.#group = new GroupCommit(
        (body) => {
          this.#stats.transactions++;
          this.#transaction.immediate(body);
        },
        // Nested in the group's transaction, better-sqlite3 makes this a savepoint.
        (work) => this.#transaction(work),
        (error) => storeError(error, this.path, false, "write to"),
      );
      this.#lease = new RunnerLease(db, randomUUID(), options.leaseMs);
      db.transaction(() => {
        const now = Date.now();
        this.#lease.beat(now);
        this.#recover(now);
      }).immediate();
    } catch (error) {
      try {
        db?.close();
      } catch {
        // Closing a connection that failed to open can fail too; the open error is what matters.
      }
      throw storeError(error, options.path, true, "open");
    }
    this.#heartbeat = setInterval(() => this.#beat(), Math.max(10, Math.floor(options.leaseMs / 3)));
    (this.#heartbeat as { unref?(): void }).unref?.();
  }

  /** How much this connection wrote so far. */
  get writes(): SqliteWriteStats {
    return { ...this.#stats };
  }

  async create(record: NewTaskRecord, quota: OwnerQuota): Promise<StoredWrite | undefined> {
    return this.#grouped(() => {
      const counts = (this.#s.usage.get(record.owner) as
        | { tasks: number; unfinished: number }
        | undefined) ?? {
        tasks: 0,
        unfinished: 0,
      };
      if (counts.unfinished >= quota.maxTasks) return undefined;
      const over = counts.tasks + 1 - quota.maxTasks;
      const evicted: string[] = [];
      if (over > 0) {
        for (const row of this.#s.oldestFinished.all(record.owner, over) as { task_id: string }[]) {
          this.#run(this.#s.deleteTask, row.task_id);
          evicted.push(row.task_id);
        }
      }
      const info = this.#run(
        this.#s.insert,
        record.taskId,
        record.owner,
        record.expiresAt,
        this.#lease.runner,
        recordJson(record),
      );
      return { record: { ...record, seq: Number(info.lastInsertRowid) }, evicted };
    });
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const row = this.#read(() => this.#s.get.get(taskId)) as TaskRow | undefined;
    return row === undefined ? undefined : rowRecord(row);
  }

  async update(taskId: string, patch: TaskPatch): Promise<TaskRecord | undefined> {
    return this.#grouped(() => this.#apply(taskId, patch));
  }

  async updateProgress(writes: ReadonlyArray<ProgressWrite>): Promise<boolean[]> {
    return this.#grouped(() =>
      writes.map(({ taskId, progress }) => {
        const json = JSON.stringify(progress);
        const { message, reportedAt } = progress;
        const info =
          message === undefined
            ? this.#run(this.#s.storeProgress, json, reportedAt, taskId)
            : this.#run(this.#s.storeProgressAndMessage, json, reportedAt, message, taskId);
        return info.changes > 0;
      }),
    );
  }

  async complete(
    taskId: string,
    patch: TerminalPatch,
    resultBytes: number,
    quota: OwnerQuota,
  ): Promise<StoredWrite | undefined> {
    return this.#grouped(() => {
      const row = this.#s.getUnfinished.get(taskId) as TaskRow | undefined;
      if (row === undefined) return undefined;
      const record = this.#finish(row, patch, resultBytes);
      const evicted: string[] = [];
      let { bytes } = this.#s.usage.get(row.owner) as { bytes: number };
      while (bytes > quota.maxResultBytes) {
        const oldest = this.#s.oldestFinishedExcept.get(row.owner, taskId) as
          | { task_id: string; result_bytes: number }
          | undefined;
        if (oldest === undefined) break;
        this.#run(this.#s.deleteTask, oldest.task_id);
        evicted.push(oldest.task_id);
        bytes -= oldest.result_bytes;
      }
      return { record, evicted };
    });
  }

  async list(owner: string, options: { cursor?: string | undefined; limit: number }): Promise<TaskPage> {
    const after = options.cursor === undefined ? 0 : decodeTaskCursor(options.cursor);
    const rows = this.#read(() => this.#s.list.all(owner, after, options.limit + 1)) as TaskRow[];
    const more = rows.length > options.limit;
    const tasks = rows.slice(0, options.limit).map(rowRecord);
    const last = tasks.at(-1);
    return more && last !== undefined ? { tasks, nextCursor: encodeTaskCursor(last.seq) } : { tasks };
  }

  async usage(owner: string): Promise<RetainedTasks> {
    const counts = this.#read(() => this.#s.usage.get(owner)) as
      | { tasks: number; unfinished: number; bytes: number }
      | undefined;
    return {
      tasks: counts?.tasks ?? 0,
      unfinished: counts?.unfinished ?? 0,
      resultBytes: counts?.bytes ?? 0,
    };
  }

  async delete(taskId: string): Promise<boolean> {
    return this.#grouped(() => this.#run(this.#s.deleteTask, taskId).changes > 0);
  }

  async expire(now: number): Promise<string[]> {
    return this.#grouped(() => {
      const ids = (this.#s.expired.all(now) as { task_id: string }[]).map((row) => row.task_id);
      if (ids.length > 0) this.#run(this.#s.deleteExpired, now);
      return ids;
    });
  }

  async finishedSince(cursor: number | undefined): Promise<FinishedSince> {
    return this.#read(() => {
      const { value } = this.#s.finishCounter.get() as { value: number };
      if (cursor === undefined || cursor >= value) return { taskIds: [], cursor: value };
      const rows = this.#s.finishedBetween.all(cursor, value) as { task_id: string }[];
      return { taskIds: rows.map((row) => row.task_id), cursor: value };
    });
  }

  /**
   * Closes the file. Tasks this process still runs are failed as interrupted (a runtime's
   * `close()` cancels them first, so normally there are none).
   */
  close(): void {
    if (this.#closed) return;
    clearInterval(this.#heartbeat);
    this.#group.flush();
    try {
      this.#write(() => {
        this.#lease.release();
        this.#recover(Date.now());
      });
    } catch {
      // A full or locked file: the lease then lapses, and the next process recovers the tasks.
    } finally {
      this.#closed = true;
      this.#db.close();
    }
  }

  /** Renews the lease and fails the tasks of processes that died. */
  #beat(): void {
    if (this.#closed) return;
    try {
      this.#write(() => {
        const now = Date.now();
        this.#lease.beat(now);
        if (this.#lease.reapDead(now).length > 0) this.#recover(now);
      });
    } catch {
      // A busy or failing file: the next beat tries again, and the lease allows for a few misses.
    }
  }

  /** Fails every unfinished task whose process is gone: it would otherwise stay `working` forever. */
  #recover(now: number): void {
    this.#lease.reapDead(now);
    for (const row of this.#s.orphans.all() as TaskRow[]) {
      const error = new TaskInterruptedError(row.task_id).toJSON();
      const patch: TerminalPatch = {
        status: "failed",
        statusMessage: INTERRUPTED_STATUS_MESSAGE,
        lastUpdatedAt: new Date(now).toISOString(),
        error,
      };
      this.#finish(row, patch, JSON.stringify(error).length);
    }
  }

  #apply(taskId: string, patch: TaskPatch): TaskRecord | undefined {
    if (isProgressPatch(patch)) {
      this.#stats.statements++;
      const { progress, lastUpdatedAt, statusMessage } = patch;
      const row = this.#s.updateProgress.get(
        JSON.stringify(progress),
        lastUpdatedAt,
        statusMessage,
        taskId,
      ) as TaskRow | undefined;
      return row === undefined ? undefined : rowRecord(row);
    }
    const row = this.#s.getUnfinished.get(taskId) as TaskRow | undefined;
    if (row === undefined) return undefined;
    if (patch.status !== undefined && isTerminalStatus(patch.status)) {
      return this.#finish(row, patch as TerminalPatch, 0);
    }
    const record = patched(rowRecord(row), patch);
    this.#run(this.#s.updateRecord, recordJson(record), taskId);
    return record;
  }

  /** Makes a row terminal, in finish order, charging its owner `bytes`. */
  #finish(row: TaskRow, patch: TerminalPatch, bytes: number): TaskRecord {
    const { value } = this.#s.nextFinish.get() as { value: number };
    this.#stats.statements++;
    const record = patched(rowRecord(row), patch);
    this.#run(this.#s.finishRecord, recordJson(record), value, bytes, row.task_id);
    return record;
  }

  #run(statement: Statements[keyof Statements], ...params: unknown[]) {
    this.#stats.statements++;
    return statement.run(...params);
  }

  /** Runs `work` with the other writes of this turn, in one transaction (see group-commit.ts). */
  #grouped<T>(work: () => T): Promise<T> {
    this.#assertOpen();
    return this.#group.write(work);
  }

  /** Runs `work` in one write transaction now; a failure rolls it back and becomes a clear error. */
  #write<T>(work: () => T): T {
    this.#assertOpen();
    this.#stats.transactions++;
    try {
      return this.#transaction.immediate(work) as T;
    } catch (error) {
      throw storeError(error, this.path, false, "write to");
    }
  }

  #read<T>(work: () => T): T {
    this.#assertOpen();
    try {
      return work();
    } catch (error) {
      throw storeError(error, this.path, false, "read");
    }
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new InternalError(`The task store ${JSON.stringify(this.path)} is closed.`, "internal-error");
    }
  }
}

/** A patch with exactly what a progress write sets (see task-progress-flusher.ts): merged by SQLite. */
function isProgressPatch(
  patch: TaskPatch,
): patch is Required<Pick<TaskPatch, "progress" | "lastUpdatedAt" | "statusMessage">> {
  const keys = Object.keys(patch);
  return (
    keys.length === 3 &&
    patch.progress !== undefined &&
    typeof patch.lastUpdatedAt === "string" &&
    typeof patch.statusMessage === "string"
  );
}
