import type { LogSink } from "../context/logger.js";
import { CancelledError, FastestMcpError } from "../errors.js";
import { toJsonRpcError } from "../protocol/protocol-error.js";
import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import { isoNow } from "../util/iso-now.js";
import { jsonSize } from "./json-size.js";
import { type LocalOutcome, type LocalTask, LocalTasks } from "./local-tasks.js";
import { MemoryTaskStore } from "./memory-task-store.js";
import { QueuedTasks } from "./queued-tasks.js";
import { SharedTasks } from "./shared-tasks.js";
import { cancelledPatch, measureOutcome, outcomePatch } from "./stored-outcome.js";
import { TaskLimitError, TaskNotFoundError, TaskTerminalError } from "./task-errors.js";
import type { TaskEventBus } from "./task-event-bus.js";
import { type TaskActivityListener, type TaskEventListener, TaskEvents } from "./task-events.js";
import {
  RunningTask,
  type StartTaskRequest,
  type TaskExecution,
  type TaskRunOutcome,
} from "./task-execution.js";
import { TaskInputs } from "./task-inputs.js";
import {
  newTaskRecord,
  ownerQuota,
  pageLimit,
  type TaskLimits,
  type TaskRuntimeOptions,
  taskLimits,
} from "./task-limits.js";
import { TaskProgressFlusher } from "./task-progress-flusher.js";
import type { TaskPatch, TaskRecord } from "./task-record.js";
import type { RetainedTasks } from "./task-retention.js";
import { assertTransition, isTerminalStatus, type TaskStatus } from "./task-status.js";
import type { OwnerQuota, StoredWrite, TaskStore } from "./task-store.js";
import { TaskWaits } from "./task-waits.js";

export type { StartTaskRequest, TaskExecution, TaskRunOutcome, TaskRuntimeOptions };

/**
 * Runs tools as background tasks (MCP 2025-11-25 Tasks): creates the record, runs the work with a
 * progress sink that persists onto the record, enforces the status machine and TTL, and
 * announces every status change and persisted progress update. Creation order, cursors and the
 * per-owner limits belong to the {@link TaskStore}, so processes sharing one store agree on them;
 * what stays here is only what this process runs (handlers, their signals, in-process values).
 */
export class TaskRuntime {
  readonly store: TaskStore;
  /** The tasks running here that wait for the client's input, and answers from other processes. */
  readonly inputs: TaskInputs;
  readonly #events: TaskEvents;
  readonly #logger: DiagnosticLogger;
  readonly #local = new LocalTasks();
  readonly #limits: TaskLimits;
  readonly #quota: OwnerQuota;
  readonly #progress: TaskProgressFlusher;
  readonly #shared: SharedTasks;
  readonly #bus: TaskEventBus | undefined;
  readonly #queued: QueuedTasks | undefined;
  readonly #waits: TaskWaits;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: TaskRuntimeOptions = {}) {
    this.store = options.store ?? new MemoryTaskStore();
    this.#logger = options.logger ?? stderrLogger;
    const bus = options.events;
    this.#bus = bus;
    // Without a bus nothing is forwarded: the hot path is what it was.
    this.#events = new TaskEvents(this.#logger, bus && ((event) => bus.publish(event)));
    this.#limits = taskLimits(options);
    this.#quota = ownerQuota(this.#limits);
    const { progressFlushMs } = this.#limits;
    this.#progress = new TaskProgressFlusher(this.store, progressFlushMs, this.#events, this.#logger);
    this.inputs = new TaskInputs(this, bus, this.#logger);
    this.#shared = new SharedTasks({
      store: this.store,
      events: this.#events,
      local: this.#local,
      bus,
      inputs: this.inputs,
      storePollIntervalMs: this.#limits.storePollIntervalMs,
      logger: this.#logger,
    });
    this.#waits = new TaskWaits({
      local: this.#local,
      limits: this.#limits,
      shared: this.#shared,
      get: (owner, taskId) => this.get(owner, taskId),
    });
    const { queue } = options;
    this.#queued =
      queue &&
      new QueuedTasks({
        queue,
        store: this.store,
        local: this.#local,
        shared: this.#shared,
        quota: this.#quota,
        startLocal: (taskId, owner) => this.#local.start(taskId, owner, this.#progress.slot(taskId)),
        run: (taskId, local, request) => this.#run(taskId, local, request),
        finished: (write) => this.#finished(write),
        ensureSweeper: () => this.#ensureSweeper(),
      });
  }

  /** This runtime's side of the backend's job queue (docs/queue.md); `undefined` without one. */
  get queue(): QueuedTasks | undefined {
    return this.#queued;
  }

  /** How many of the owner's tasks are still running in this process. */
  runningCount(owner: string): number {
    return this.#local.runningCount(owner);
  }

  /** What the owner keeps in the store: tasks (finished included), unfinished ones and stored result bytes. */
  retained(owner: string): Promise<RetainedTasks> {
    return this.store.usage(owner);
  }

  /**
   * Subscribes to status and progress events (`{ progress: false }`: status events only; with
   * `{ logs: true }`, task log entries too); returns the unsubscribe function.
   */
  on(listener: TaskEventListener, options?: { progress?: boolean }): () => void;
  on(listener: TaskActivityListener, options: { progress?: boolean; logs: boolean }): () => void;
  on(
    listener: TaskEventListener | TaskActivityListener,
    options?: { progress?: boolean; logs?: boolean },
  ): () => void {
    // Other instances' events are delivered from now on (once the bus has started).
    void this.#shared.listen();
    // Safe: a listener that did not ask for logs is never given a log event.
    return this.#events.on(listener as TaskActivityListener, options);
  }

  /** A task handler's log sink: `next`, plus log events while a listener asks for them. */
  logSink(taskId: string, owner: string, next: LogSink | undefined): LogSink | undefined {
    return this.#events.logSink(taskId, owner, next);
  }

  /** Creates the task record and starts the work in the background; resolves with the new record. */
  start(request: StartTaskRequest): Promise<TaskRecord> {
    try {
      if (this.#closed) throw new FastestMcpError("FMCP_ERR_CANCELLED", "The task runtime is closed.");
      const fresh = newTaskRecord(this.#limits, request);
      // Not async: a burst of thousands of starts held a suspended frame each until the last was
      // created. Watching starts before the task exists, so a cancel served elsewhere is not missed
      // (nothing to wait for when the store is not shared and there is no bus).
      const ready = this.#shared.ready();
      const create = (): Promise<StoredWrite | undefined> => this.store.create(fresh, this.#quota);
      const created = ready === undefined ? create() : ready.then(create);
      return created.then((stored) => this.#started(stored, request));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The record is stored: the work starts here, or its job is enqueued (with a queue). */
  #started(created: StoredWrite | undefined, request: StartTaskRequest): TaskRecord | Promise<TaskRecord> {
    if (created === undefined) throw new TaskLimitError(this.#limits.maxTasksPerOwner);
    const { record } = created;
    const queued = request.job === undefined ? undefined : this.#queued;
    const local = queued
      ? undefined
      : this.#local.start(record.taskId, request.owner, this.#progress.slot(record.taskId));
    this.#dropEvicted(created.evicted);
    this.#ensureSweeper();
    this.#events.emit({ type: "status", task: record });
    if (local === undefined) return (queued as QueuedTasks).enqueue(record, request);
    this.#run(record.taskId, local, request);
    return record;
  }

  /** The record, if `owner` may see it. @throws {TaskNotFoundError} otherwise. */
  async get(owner: string, taskId: string): Promise<TaskRecord> {
    const record = await this.store.get(taskId);
    if (record === undefined || record.owner !== owner) throw new TaskNotFoundError(taskId);
    if (record.expiresAt !== null && record.expiresAt <= Date.now()) {
      await this.store.delete(taskId);
      this.#local.drop(taskId, "expired");
      throw new TaskNotFoundError(taskId);
    }
    return record;
  }

  /** One page of the owner's live (unexpired) tasks, oldest first. */
  async list(owner: string, options: { cursor?: string | undefined; pageSize?: number | undefined } = {}) {
    const page = await this.store.list(owner, { cursor: options.cursor, limit: pageLimit(options.pageSize) });
    const now = Date.now();
    page.tasks = page.tasks.filter((task) => task.expiresAt === null || task.expiresAt > now);
    return page;
  }

  /**
   * Cancels a task that is not terminal: the status becomes `cancelled` before this resolves,
   * then the work's signal aborts (here at once; in another process sharing the store within
   * one round trip with an event bus, else about `storePollIntervalMs`). A result that arrives
   * later is dropped.
   * @throws {TaskTerminalError} (-32602) when the task already finished.
   */
  async cancel(owner: string, taskId: string, statusMessage = "Cancelled by request."): Promise<TaskRecord> {
    const record = await this.get(owner, taskId);
    if (isTerminalStatus(record.status)) throw new TaskTerminalError(taskId, record.status);
    const patch = cancelledPatch(taskId, statusMessage);
    const cancelled = await this.store.complete(taskId, patch, jsonSize(patch.error), this.#quota);
    if (cancelled === undefined) {
      // The work finished between our read and our write: it won.
      const now = await this.get(owner, taskId);
      throw new TaskTerminalError(taskId, now.status);
    }
    this.#local.abort(taskId, new CancelledError(`Task ${taskId} was cancelled: ${statusMessage}`));
    this.#finished(cancelled);
    return cancelled.record;
  }

  /**
   * Moves a non-terminal task to another status (e.g. `input_required` and back to `working`),
   * following the MCP state machine (staying put is allowed), and sets what it waits for:
   * `inputRequests`, cleared when not given.
   * @throws {FastestMcpError} `FMCP_ERR_TASK_TRANSITION_INVALID` for a forbidden change.
   */
  async setStatus(
    owner: string,
    taskId: string,
    status: Exclude<TaskStatus, "completed" | "failed" | "cancelled">,
    statusMessage?: string,
    inputRequests?: TaskPatch["inputRequests"],
  ): Promise<TaskRecord> {
    const record = await this.get(owner, taskId);
    if (record.status !== status) assertTransition(taskId, record.status, status);
    const patch: TaskPatch = { status, lastUpdatedAt: isoNow(), inputRequests };
    if (statusMessage !== undefined) patch.statusMessage = statusMessage;
    const updated = await this.store.update(taskId, patch);
    if (updated === undefined) {
      const now = await this.get(owner, taskId);
      assertTransition(taskId, now.status, status);
      throw new TaskNotFoundError(taskId);
    }
    this.#events.emit({ type: "status", task: updated });
    return updated;
  }

  /**
   * Waits until the task is terminal and returns its final record (see {@link TaskWaits}).
   * @throws {FastestMcpError} `FMCP_ERR_TASK_AWAIT_TIMEOUT` after `timeoutMs`.
   */
  waitForTerminal(
    owner: string,
    taskId: string,
    timeoutMs?: number,
    signal?: AbortSignal,
  ): Promise<TaskRecord> {
    return this.#waits.waitForTerminal(owner, taskId, timeoutMs, signal);
  }

  /** Resolves once the task is terminal; what it then is, the caller reads (see {@link TaskWaits}). */
  whenTerminal(owner: string, taskId: string, timeoutMs?: number): Promise<unknown> {
    return this.#waits.whenTerminal(owner, taskId, timeoutMs);
  }

  /**
   * The handler's own value or error of a task that ran here; `undefined` when it ran elsewhere.
   * A task of the owner's that finished here answers without reading the store.
   */
  localOutcome(owner: string, taskId: string, timeoutMs?: number): Promise<LocalOutcome | undefined> {
    return this.#waits.localOutcome(owner, taskId, timeoutMs);
  }

  /**
   * Cancels the owner's unfinished tasks and deletes all of its records: for an owner that can
   * never come back (an anonymous session that ended; see docs/tasks.md, "Owners").
   */
  async releaseOwner(owner: string): Promise<void> {
    for (const [taskId, local] of this.#local.running()) {
      if (local.owner === owner) {
        await this.cancel(owner, taskId, "The session ended.").catch(() => undefined);
      }
    }
    let deleted = true;
    while (deleted) {
      // Deleting while paging would skip records: take the first page until none is left.
      const page = await this.store.list(owner, { limit: 1000 });
      deleted = false;
      for (const task of page.tasks) {
        if (await this.store.delete(task.taskId)) deleted = true;
        this.#local.drop(task.taskId, "was deleted");
      }
    }
  }

  /** Purges expired tasks now (the sweeper does this periodically). Returns their ids. */
  async sweep(): Promise<string[]> {
    const expired = await this.store.expire(Date.now());
    for (const taskId of expired) this.#local.drop(taskId, "expired");
    return expired;
  }

  /** Cancels every unfinished task started here and stops the timers. The store stays open. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    this.#shared.stop();
    const running = this.#local.running();
    await Promise.all(
      running.map(([taskId, local]) =>
        this.cancel(local.owner, taskId, "The server shut down.").catch(() => undefined),
      ),
    );
    await this.#progress.flush();
    await this.#bus?.flush();
  }

  // Takes the id, not the record: the first record is not kept alive for the whole run. Not async:
  // a suspended async function per running task costs ~500 bytes for the whole run; a reaction on
  // the handler's promise costs a fraction of that, and #store's frame exists only while storing.
  #run(taskId: string, local: LocalTask, request: StartTaskRequest): void {
    let running: Promise<TaskRunOutcome>;
    try {
      running = request.execute(new RunningTask(taskId, local.cancellation, local.progress));
    } catch (error) {
      running = Promise.reject(error);
    }
    void running.then(
      (outcome) => this.#store(taskId, local, outcome),
      (error: unknown) =>
        this.#store(taskId, local, { local: { ok: false, error }, error: toJsonRpcError(error) }),
    );
  }

  /** Stores the outcome of a task's work, with its final progress, and settles the task. */
  async #store(taskId: string, local: LocalTask, outcome: TaskRunOutcome): Promise<void> {
    // A queued task whose worker closed without it: the queue runs it again or fails it.
    if (this.#queued?.dropOutcome(taskId) === true) return;
    // What the owner's result budget is charged; a result too large to keep becomes an error.
    const measured = measureOutcome(taskId, outcome, this.#limits.maxResultBytesPerOwner);
    const patch = outcomePatch(measured.outcome);
    try {
      // The final progress goes in the same write as the terminal status, never after it.
      const progress = await this.#progress.takeFinal(local.progress);
      if (progress !== undefined) {
        patch.progress = progress;
        if (patch.status === "completed" && progress.message !== undefined)
          patch.statusMessage = progress.message;
      }
      local.finishing = true;
      const finished = await this.store.complete(taskId, patch, measured.bytes, this.#quota);
      // undefined: already cancelled or expired, and terminal never changes: the outcome is dropped
      // (a cancel served here settled the task already; one served elsewhere is settled now).
      if (finished === undefined) {
        this.#local.abort(taskId, new CancelledError(`Task ${taskId} ended before its outcome was stored.`));
      } else {
        this.#local.settle(local, measured.outcome.local);
        if (progress !== undefined) {
          this.#events.emit({ type: "progress", task: finished.record, progress });
        }
        this.#finished(finished);
      }
    } catch (error) {
      await this.#storeFailed(taskId, local, error);
    }
  }

  /**
   * The outcome could not be stored (a full disk, say): the task fails with that error instead,
   * a smaller write that may still succeed, and an in-process caller gets the error, not a value
   * the store does not have. If even that fails, the store's crash recovery fails the task later.
   */
  async #storeFailed(taskId: string, local: LocalTask, error: unknown): Promise<void> {
    this.#logger.error("could not store the outcome of a task", { taskId, error });
    this.#local.settle(local, { ok: false, error });
    const patch = outcomePatch({ error: toJsonRpcError(error) });
    const failed = await this.store
      .complete(taskId, patch, jsonSize(patch.error), this.#quota)
      .catch(() => undefined);
    if (failed !== undefined) this.#finished(failed);
  }

  /** Announces a terminal write and forgets the tasks the store evicted to make room for it. */
  #finished(write: StoredWrite): void {
    this.#events.emit({ type: "status", task: write.record });
    this.#shared.ended(write.record.taskId);
    this.#dropEvicted(write.evicted);
  }

  /** Evicted tasks answer like expired ones from now on: nothing of them stays here. */
  #dropEvicted(taskIds: readonly string[]): void {
    for (const taskId of taskIds) this.#local.drop(taskId, "was evicted");
  }

  #ensureSweeper(): void {
    if (this.#sweeper !== undefined) return;
    this.#sweeper = setInterval(() => {
      this.sweep().catch((error) => this.#logger.error("task sweep failed", { error }));
    }, this.#limits.sweepIntervalMs);
    this.#sweeper.unref?.();
  }
}
