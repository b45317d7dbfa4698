import type { TaskPatch, TaskProgress, TaskRecord } from "./task-record.js";
import type { RetainedTasks } from "./task-retention.js";

/** One page of tasks. */
export interface TaskPage {
  tasks: TaskRecord[];
  /** Pass to the next `list` call; absent on the last page. */
  nextCursor?: string;
}

/** A record to create: everything but `seq`, which the store assigns. */
export type NewTaskRecord = Omit<TaskRecord, "seq">;

/** One task's latest progress, as the runtime's batched progress writes hand it to the store. */
export interface ProgressWrite {
  taskId: string;
  progress: TaskProgress;
}

/** A terminal status, as `complete` writes it. */
export type TerminalPatch = TaskPatch & { status: "completed" | "failed" | "cancelled" };

/** A write that went through, and the tasks the store deleted to keep the owner within bounds. */
export interface StoredWrite {
  record: TaskRecord;
  /** Ids of the owner's longest-finished tasks deleted to make room (usually empty). */
  evicted: string[];
}

/** What one owner may keep: the runtime's `maxTasksPerOwner` and `maxResultBytesPerOwner`. */
export interface OwnerQuota {
  maxTasks: number;
  maxResultBytes: number;
}

/** Tasks that reached a terminal status after a point, and the point to ask from next time. */
export interface FinishedSince {
  taskIds: string[];
  cursor: number;
}

/**
 * Where task records live, and what every process sharing them must agree on: creation order
 * (`seq`, and the `list` cursors built on it), and what each owner keeps (its task count and
 * result bytes, enforced when a task is created or finishes). Records cross this interface as
 * plain JSON (implementations must not keep references to the objects they are given or hand out
 * their own), so a SQLite or Redis store can implement it without any change to the runtime.
 *
 * Writes are conditional, which makes the races safe in any store: `update` and `complete` only
 * change a task that is not terminal yet, so a cancel and a completion can never both win. The
 * owner is an opaque string: the store compares it, never parses it.
 *
 * `fastestmcp/testing` has the behaviour suite every store passes (`describeTaskStore`).
 */
export interface TaskStore {
  /**
   * Stores a new record with the next `seq` (greater than any other in the store). When the
   * owner already keeps `quota.maxTasks` tasks, its longest-finished ones are deleted to make
   * room; when all of them are unfinished, nothing is stored and this resolves `undefined`.
   * Admission and insert are one atomic step, so two creates can never both take the last place.
   */
  create(record: NewTaskRecord, quota: OwnerQuota): Promise<StoredWrite | undefined>;
  /** The record, or `undefined` when unknown or deleted. */
  get(taskId: string): Promise<TaskRecord | undefined>;
  /** Applies `patch` unless the task is terminal; returns the new record, or `undefined` if nothing changed. */
  update(taskId: string, patch: TaskPatch): Promise<TaskRecord | undefined>;
  /**
   * The latest progress of several tasks at once (the runtime's batched progress writes; a durable
   * store writes them in one transaction), each conditional on its own as `update` is: `progress`
   * becomes the record's progress, its `reportedAt` the `lastUpdatedAt`, and its `message`, when
   * present, the `statusMessage`. Answers, per entry and in order, whether it was stored. No
   * records come back: this runs for every running task every `progressFlushMs`, and a record per
   * entry would be built for nobody (the runtime reads one only for a progress listener).
   * `writes` and its entries are the runtime's and reused for its next batch once the returned
   * promise settles: read them during the call, and keep no reference (each `progress` object
   * is the store's to keep).
   */
  updateProgress(writes: ReadonlyArray<ProgressWrite>): Promise<boolean[]>;
  /**
   * Like `update` with a terminal status: the first terminal write wins, later ones resolve
   * `undefined`. The owner is charged `resultBytes` (the size of the stored outcome); past
   * `quota.maxResultBytes`, its other longest-finished tasks are deleted (never this one).
   */
  complete(
    taskId: string,
    patch: TerminalPatch,
    resultBytes: number,
    quota: OwnerQuota,
  ): Promise<StoredWrite | undefined>;
  /** The owner's tasks in creation order, `limit` per page. Throws `InvalidParamsError` on a bad cursor. */
  list(owner: string, options: { cursor?: string | undefined; limit: number }): Promise<TaskPage>;
  /** What the owner keeps now: tasks (finished included), unfinished ones, and charged result bytes. */
  usage(owner: string): Promise<RetainedTasks>;
  /** Removes a record; returns whether it existed. */
  delete(taskId: string): Promise<boolean>;
  /** Removes every record whose `expiresAt` is at or before `now` (epoch ms); returns their ids. */
  expire(now: number): Promise<string[]>;
  /**
   * For stores shared by several processes: the tasks that became terminal after `cursor` (the
   * `cursor` of a previous answer; `undefined` for "from now", which answers no ids). The runtime
   * polls it to notice a task it runs being cancelled elsewhere. A store only one process can see
   * leaves it out.
   */
  finishedSince?(cursor: number | undefined): Promise<FinishedSince>;
  /**
   * For stores that end tasks by themselves: a shared store that fails the unfinished tasks of a
   * dead instance (the Redis store's lease). `listener` gets each record so ended, from the
   * instance whose store did it; its runtime announces it as a status event of its own (to its
   * listeners and, with an event bus, to every other instance), so the waits for the task end at
   * once. Returns the function that removes the listener. A store that never ends tasks by
   * itself leaves it out.
   */
  onEnded?(listener: (record: TaskRecord) => void): () => void;
  /**
   * How often (ms) the runtime should flush progress to this store when `progressFlushMs` is not
   * set: 0 (every turn of the event loop) suits memory; a durable store batches more.
   */
  readonly progressFlushMs?: number;
}
