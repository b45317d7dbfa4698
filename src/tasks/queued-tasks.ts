import { CancelledError } from "../errors.js";
import { type JsonRpcErrorObject, toJsonRpcError } from "../protocol/protocol-error.js";
import { isoNow } from "../util/iso-now.js";
import { jsonSize } from "./json-size.js";
import type { LocalTask, LocalTasks } from "./local-tasks.js";
import type { SharedTasks } from "./shared-tasks.js";
import { TaskInterruptedError } from "./task-errors.js";
import type { StartTaskRequest } from "./task-execution.js";
import type { TaskJob, TaskQueue } from "./task-queue.js";
import type { TaskRecord } from "./task-record.js";
import { isTerminalStatus } from "./task-status.js";
import type { OwnerQuota, StoredWrite, TaskStore, TerminalPatch } from "./task-store.js";

/** What {@link QueuedTasks} works with: the task runtime's own parts. */
export interface QueuedTasksParts {
  queue: TaskQueue;
  store: TaskStore;
  local: LocalTasks;
  shared: SharedTasks;
  quota: OwnerQuota;
  /** Registers a task that runs here now, with its progress slot. */
  startLocal(taskId: string, owner: string): LocalTask;
  /** Runs the work of a task registered with `startLocal` and stores its outcome. */
  run(taskId: string, local: LocalTask, request: StartTaskRequest): void;
  /** Announces a terminal write (status event, waits woken, evicted tasks forgotten). */
  finished(write: StoredWrite): void;
  /** Starts the expiry sweeper: a job still running when its task expires is stopped. */
  ensureSweeper(): void;
}

/**
 * The task runtime's side of a job queue (a backend's `queue`): on the accepting instance, a
 * task's record is created as usual and a job is enqueued instead of running the handler here;
 * on a worker, a job runs as a task of this runtime ({@link run}), so its progress, logs,
 * cancellation (a `tasks/cancel` served anywhere reaches it through the event bus) and outcome
 * follow the same paths as a task started here. A runtime without a queue never builds one.
 */
export class QueuedTasks {
  readonly #parts: QueuedTasksParts;
  /** Tasks whose handler a closing worker stopped waiting for: nothing is stored for them. */
  readonly #abandoned = new Set<string>();
  /** Tasks whose jobs run in this process (taken from the queue). */
  readonly #jobs = new Set<string>();

  constructor(parts: QueuedTasksParts) {
    this.#parts = parts;
  }

  /** Whether instances take jobs unless told otherwise. */
  get works(): boolean {
    return this.#parts.queue.works;
  }

  /**
   * Enqueues the job of task `record` (just created); resolves with the record once the job is
   * on the queue. A job that cannot be enqueued fails its task, and the call with it.
   */
  async enqueue(record: TaskRecord, request: StartTaskRequest): Promise<TaskRecord> {
    const job = request.job as NonNullable<StartTaskRequest["job"]>;
    const { taskId, owner, toolName } = record;
    try {
      await this.#parts.queue.enqueue({ taskId, owner, toolName, ...job(taskId) });
    } catch (error) {
      const why = `The task could not be queued: ${error instanceof Error ? error.message : String(error)}`;
      await this.#fail(record.taskId, why, toJsonRpcError(error)).catch(() => undefined);
      throw error;
    }
    return record;
  }

  /**
   * Runs a job taken from the queue as a task of this runtime: resolves once its outcome is
   * stored (or it ended otherwise: cancelled, expired, abandoned). A job whose task is gone or
   * already terminal (cancelled while it waited) does nothing.
   */
  async run(job: TaskJob, execute: StartTaskRequest["execute"]): Promise<void> {
    const { store, shared, local } = this.#parts;
    // Cancels served elsewhere from now on are heard before the handler starts.
    await shared.ready();
    const record = await store.get(job.taskId);
    if (record === undefined || isTerminalStatus(record.status)) return;
    if (record.expiresAt !== null && record.expiresAt <= Date.now()) return;
    const running = local.get(job.taskId);
    // The same job again in this process (taken back from a stall): the first run still owns it.
    if (running?.running === true) return;
    const task = this.#parts.startLocal(job.taskId, job.owner);
    this.#parts.ensureSweeper();
    this.#jobs.add(job.taskId);
    this.#parts.run(job.taskId, task, { owner: job.owner, toolName: job.toolName, execute });
    try {
      await task.settled;
    } finally {
      this.#jobs.delete(job.taskId);
    }
  }

  /**
   * Whether task `taskId` runs here as a job taken from the queue: its status is then announced
   * to 2025-11-25 sessions by the instance that accepted it (in order after the progress it
   * relays), not by this one.
   */
  runsJob(taskId: string): boolean {
    return this.#jobs.has(taskId);
  }

  /** The job will not run (again): its task fails with `statusMessage`, unless it ended already. */
  async interrupted(taskId: string, statusMessage: string): Promise<void> {
    await this.#fail(taskId, statusMessage, new TaskInterruptedError(taskId, statusMessage).toJSON());
  }

  /**
   * Stops waiting for a job's handler (its worker is closing): the handler's signal aborts and
   * its outcome is not stored; the task stays `working` for the queue to deal with.
   */
  abandon(taskId: string): void {
    const task = this.#parts.local.get(taskId);
    if (task === undefined || !task.running) return;
    this.#abandoned.add(taskId);
    this.#parts.local.abort(taskId, new CancelledError(`Task ${taskId}: the worker running it shut down.`));
  }

  /** True (once) for an abandoned task: its outcome is dropped. */
  dropOutcome(taskId: string): boolean {
    return this.#abandoned.delete(taskId);
  }

  async #fail(taskId: string, statusMessage: string, error: JsonRpcErrorObject): Promise<void> {
    const patch: TerminalPatch = { status: "failed", statusMessage, lastUpdatedAt: isoNow(), error };
    const failed = await this.#parts.store.complete(taskId, patch, jsonSize(error), this.#parts.quota);
    if (failed !== undefined) this.#parts.finished(failed);
  }
}
