import { frozenJsonCopy as frozenCopy } from "./frozen-json.js";
import { decodeTaskCursor, encodeTaskCursor } from "./task-cursor.js";
import type { TaskPatch, TaskRecord } from "./task-record.js";
import { type RetainedTasks, TaskRetention } from "./task-retention.js";
import { isTerminalStatus } from "./task-status.js";
import type {
  NewTaskRecord,
  OwnerQuota,
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
 */
export class MemoryTaskStore implements TaskStore {
  readonly #tasks = new Map<string, TaskRecord>();
  /** Per owner, its records in creation order (Map keeps insertion order). */
  readonly #byOwner = new Map<string, Map<string, TaskRecord>>();
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
    return this.#tasks.get(taskId);
  }

  async update(taskId: string, patch: TaskPatch): Promise<TaskRecord | undefined> {
    return this.#apply(taskId, patch);
  }

  async updateMany(
    updates: ReadonlyArray<{ taskId: string; patch: TaskPatch }>,
  ): Promise<(TaskRecord | undefined)[]> {
    return updates.map(({ taskId, patch }) => this.#apply(taskId, patch));
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
      tasks.push(record);
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
    const record = this.#tasks.get(taskId);
    if (record === undefined || isTerminalStatus(record.status)) return undefined;
    const next: TaskRecord = { ...record };
    for (const key of Object.keys(patch) as Array<keyof TaskPatch>) {
      const value = patch[key];
      // Progress is flat: a shallow copy will do; results and errors may nest, so they are cloned.
      // Object.assign, not a spread: in optimized code V8 (Node 20) gives each frozen copy of a
      // spread a hidden class of its own, ~200 bytes per record and per update.
      (next as unknown as Record<string, unknown>)[key] =
        key === "progress" && value !== undefined
          ? Object.freeze(Object.assign({}, value))
          : frozenCopy(value);
    }
    Object.freeze(next);
    this.#tasks.set(taskId, next);
    this.#byOwner.get(next.owner)?.set(taskId, next);
    return next;
  }

  /** Drops a record the retention bookkeeping already let go of. */
  #remove(taskId: string): void {
    const record = this.#tasks.get(taskId);
    if (record === undefined) return;
    this.#tasks.delete(taskId);
    const owned = this.#byOwner.get(record.owner);
    owned?.delete(taskId);
    if (owned?.size === 0) this.#byOwner.delete(record.owner);
  }
}
