import { progressUpdate } from "../context/progress-tracker.js";
import { frozenJsonCopy as frozenCopy } from "./frozen-json.js";
import { decodeTaskCursor, encodeTaskCursor } from "./task-cursor.js";
import type { TaskPatch, TaskProgress, TaskRecord } from "./task-record.js";
import { type RetainedTasks, TaskRetention } from "./task-retention.js";
import { isTerminalStatus } from "./task-status.js";
import type {
  NewTaskRecord,
  OwnerQuota,
  ProgressWrite,
  StoredWrite,
  TaskPage,
  TaskStore,
  TerminalPatch,
} from "./task-store.js";

/**
 * The default {@link TaskStore}: records in process memory, for one process (a restart loses
 * them; `fastestmcp/sqlite` keeps them). What it keeps is a private, deeply frozen copy, and every
 * write replaces the record with a new frozen object, so it can hand out its records without
 * copying them and callers still cannot change what it holds — the same contract a durable store
 * gives, at a fraction of the cost of cloning on every read. The copy reads back like JSON (as
 * from a durable store) but shares strings with the caller's value, so a large result text is
 * not held twice.
 *
 * Progress is the exception to "every write replaces the record": a progress-only write keeps
 * the latest progress beside the record, and the record is rebuilt with it only when it is read
 * (or written otherwise), and the latest progress is kept flat, overwritten in place. A task
 * reporting progress thus leaves nothing behind per update: not a copy of its whole record, nor
 * of its progress, that lives until the next update (long enough to reach the old generation,
 * at thousands of running tasks). Readers see no difference.
 */
export class MemoryTaskStore implements TaskStore {
  readonly #tasks = new Map<string, TaskRecord>();
  /** Per owner, its records in creation order (Map keeps insertion order). */
  readonly #byOwner = new Map<string, Map<string, TaskRecord>>();
  /** Progress written since the record was last rebuilt (see the class comment). */
  readonly #progress = new Map<string, LatestProgress>();
  readonly #retention = new TaskRetention();
  #seq = 0;

  /** How many records are stored (for tests and metrics). */
  get size(): number {
    return this.#tasks.size;
  }

  async create(record: NewTaskRecord, quota: OwnerQuota): Promise<StoredWrite | undefined> {
    // Admission and insert happen in one synchronous step: concurrent creates cannot both win.
    const evicted = this.#retention.admit(record.owner, record.taskId, quota.maxTasks);
    if (evicted === undefined) return undefined;
    for (const taskId of evicted) this.#remove(taskId);
    const copy = frozenCopy({ ...record, seq: ++this.#seq });
    this.#tasks.set(copy.taskId, copy);
    let owned = this.#byOwner.get(copy.owner);
    if (owned === undefined) {
      owned = new Map();
      this.#byOwner.set(copy.owner, owned);
    }
    owned.set(copy.taskId, copy);
    return { record: copy, evicted: [...evicted] };
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return this.#current(taskId);
  }

  async update(taskId: string, patch: TaskPatch): Promise<TaskRecord | undefined> {
    return this.#apply(taskId, patch);
  }

  async updateProgress(writes: ReadonlyArray<ProgressWrite>): Promise<boolean[]> {
    return writes.map(
      ({ taskId, progress }) =>
        this.#latest(taskId)?.set(progress, progress.reportedAt, progress.message) !== undefined,
    );
  }

  async complete(
    taskId: string,
    patch: TerminalPatch,
    resultBytes: number,
    quota: OwnerQuota,
  ): Promise<StoredWrite | undefined> {
    const record = this.#apply(taskId, patch);
    if (record === undefined) return undefined;
    const evicted = this.#retention.finish(record.owner, taskId, resultBytes, quota.maxResultBytes);
    for (const id of evicted) this.#remove(id);
    return { record, evicted: [...evicted] };
  }

  async list(owner: string, options: { cursor?: string | undefined; limit: number }): Promise<TaskPage> {
    const after = options.cursor === undefined ? -1 : decodeTaskCursor(options.cursor);
    const tasks: TaskRecord[] = [];
    const owned = this.#byOwner.get(owner);
    if (owned === undefined) return { tasks };
    let more = false;
    for (const record of owned.values()) {
      if (record.seq <= after) continue;
      if (tasks.length === options.limit) {
        more = true;
        break;
      }
      tasks.push(this.#current(record.taskId) as TaskRecord);
    }
    const last = tasks.at(-1);
    return more && last !== undefined ? { tasks, nextCursor: encodeTaskCursor(last.seq) } : { tasks };
  }

  async usage(owner: string): Promise<RetainedTasks> {
    return this.#retention.of(owner);
  }

  async delete(taskId: string): Promise<boolean> {
    const record = this.#tasks.get(taskId);
    if (record === undefined) return false;
    this.#retention.forget(record.owner, taskId);
    this.#remove(taskId);
    return true;
  }

  async expire(now: number): Promise<string[]> {
    const expired: string[] = [];
    for (const record of this.#tasks.values()) {
      if (record.expiresAt !== null && record.expiresAt <= now) expired.push(record.taskId);
    }
    for (const taskId of expired) await this.delete(taskId);
    return expired;
  }

  #apply(taskId: string, patch: TaskPatch): TaskRecord | undefined {
    if (isProgressPatch(patch)) return this.#applyProgress(taskId, patch);
    const record = this.#current(taskId);
    if (record === undefined || isTerminalStatus(record.status)) return undefined;
    const next: TaskRecord = { ...record };
    for (const key of Object.keys(patch) as Array<keyof TaskPatch>) {
      const value = patch[key];
      // A member set to undefined is gone, as JSON (and the durable stores) would keep it.
      if (value === undefined) {
        delete (next as unknown as Record<string, unknown>)[key];
        continue;
      }
      // Progress is flat: a shallow copy will do; results and errors may nest, so they are cloned.
      // Object.assign, not a spread: in optimized code V8 (Node 20) gives each frozen copy of a
      // spread a hidden class of its own, ~200 bytes per record and per update.
      (next as unknown as Record<string, unknown>)[key] =
        key === "progress" ? Object.freeze(Object.assign({}, value)) : frozenCopy(value);
    }
    return this.#replace(Object.freeze(next));
  }

  /**
   * A progress-only write: kept beside the record, which stays as it is until it is read. The
   * record returned is built for the caller and not kept (it dies young).
   */
  #applyProgress(taskId: string, patch: ProgressPatch): TaskRecord | undefined {
    const latest = this.#latest(taskId);
    if (latest === undefined) return undefined;
    latest.set(patch.progress, patch.lastUpdatedAt, patch.statusMessage);
    return withProgress(this.#tasks.get(taskId) as TaskRecord, latest);
  }

  /** Where a task's progress writes go: `undefined` when it is unknown or terminal. */
  #latest(taskId: string): LatestProgress | undefined {
    const record = this.#tasks.get(taskId);
    if (record === undefined || isTerminalStatus(record.status)) return undefined;
    let latest = this.#progress.get(taskId);
    if (latest === undefined) {
      latest = new LatestProgress();
      this.#progress.set(taskId, latest);
    }
    return latest;
  }

  /** The record with its latest progress, rebuilt (and kept) if progress was written since. */
  #current(taskId: string): TaskRecord | undefined {
    const record = this.#tasks.get(taskId);
    const latest = this.#progress.get(taskId);
    if (record === undefined || latest === undefined) return record;
    this.#progress.delete(taskId);
    return this.#replace(withProgress(record, latest));
  }

  #replace(record: TaskRecord): TaskRecord {
    this.#tasks.set(record.taskId, record);
    this.#byOwner.get(record.owner)?.set(record.taskId, record);
    return record;
  }

  /** Drops a record the retention bookkeeping already let go of. */
  #remove(taskId: string): void {
    const record = this.#tasks.get(taskId);
    if (record === undefined) return;
    this.#tasks.delete(taskId);
    this.#progress.delete(taskId);
    const owned = this.#byOwner.get(record.owner);
    owned?.delete(taskId);
    if (owned?.size === 0) this.#byOwner.delete(record.owner);
  }
}

/** An `update` that sets progress and at most the fields that go with it (as `updateProgress` does). */
type ProgressPatch = Pick<TaskPatch, "lastUpdatedAt" | "statusMessage"> & {
  progress: NonNullable<TaskPatch["progress"]>;
};

/**
 * The progress fields written since a record was last rebuilt, kept flat and overwritten in
 * place: a progress write allocates nothing that outlives it (a frozen copy per update would
 * live until the task's next update, long enough to be promoted, at thousands of running tasks).
 * The progress object is built when the record is read.
 */
class LatestProgress {
  current = 0;
  total: number | undefined = undefined;
  message: string | undefined = undefined;
  reportedAt = "";
  lastUpdatedAt: string | undefined = undefined;
  statusMessage: string | undefined = undefined;

  /**
   * Takes `progress` (numbers and strings only: nothing of the caller's is kept), and the
   * `lastUpdatedAt` and `statusMessage` that go with it (`undefined`: unchanged).
   */
  set(progress: TaskProgress, lastUpdatedAt: string | undefined, statusMessage: string | undefined): this {
    this.current = progress.current;
    this.total = progress.total;
    this.message = progress.message;
    this.reportedAt = progress.reportedAt;
    if (lastUpdatedAt !== undefined) this.lastUpdatedAt = lastUpdatedAt;
    if (statusMessage !== undefined) this.statusMessage = statusMessage;
    return this;
  }

  /** The progress as a frozen plain object (what JSON would give back: no undefined members). */
  progress(): TaskProgress {
    return Object.freeze(progressUpdate(this.current, this.total, this.message, this.reportedAt));
  }
}

function isProgressPatch(patch: TaskPatch): patch is ProgressPatch {
  if (patch.progress === undefined) return false;
  for (const key in patch) {
    if (key === "progress") continue;
    // An explicit undefined clears the field: the full write path does that.
    if (key !== "lastUpdatedAt" && key !== "statusMessage") return false;
    if (patch[key] === undefined) return false;
  }
  return true;
}

/** `record` with `latest` applied, frozen (its parts are frozen already). */
function withProgress(record: TaskRecord, latest: LatestProgress): TaskRecord {
  // Object.assign, not a spread: see #apply.
  const next: TaskRecord = Object.assign({}, record);
  next.progress = latest.progress();
  if (latest.lastUpdatedAt !== undefined) next.lastUpdatedAt = latest.lastUpdatedAt;
  if (latest.statusMessage !== undefined) next.statusMessage = latest.statusMessage;
  return Object.freeze(next);
}
