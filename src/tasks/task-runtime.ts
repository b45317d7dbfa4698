import { CancelledError, FastestMcpError } from "../errors.js";
import { ErrorCode } from "../protocol/error-codes.js";
import { InvalidParamsError, toJsonRpcError } from "../protocol/protocol-error.js";
import { firstText } from "../protocol/result-text.js";
import { createDeferred, type Deferred } from "../util/deferred.js";
import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import { isoNow } from "../util/iso-now.js";
import { randomUUID } from "../util/random-uuid.js";
import { awaitTimeoutError, within } from "./await-within.js";
import { jsonSize } from "./json-size.js";
import { MemoryTaskStore } from "./memory-task-store.js";
import { measureOutcome } from "./stored-outcome.js";
import { TaskLimitError, TaskNotFoundError, TaskTerminalError } from "./task-errors.js";
import { type TaskEventListener, TaskEvents } from "./task-events.js";
import type { StartTaskRequest, TaskExecution, TaskRunOutcome } from "./task-execution.js";
import { resolveTtl, type TaskLimits, type TaskRuntimeOptions, taskLimits } from "./task-limits.js";
import { TaskProgressWriter } from "./task-progress-writer.js";
import type { TaskPatch, TaskProgress, TaskRecord } from "./task-record.js";
import { type RetainedTasks, TaskRetention } from "./task-retention.js";
import { assertTransition, isTerminalStatus, type TaskStatus } from "./task-status.js";
import type { TaskStore } from "./task-store.js";

export type { StartTaskRequest, TaskExecution, TaskRunOutcome, TaskRuntimeOptions };

type LocalOutcome = NonNullable<TaskRunOutcome["local"]>;

interface LocalTask {
  readonly owner: string;
  readonly controller: AbortController;
  /** Resolves when the task is terminal: with the handler's outcome, if it was kept. */
  readonly settled: Deferred<LocalOutcome | undefined>;
  running: boolean;
}

/**
 * Runs tools as background tasks (MCP 2025-11-25 Tasks): creates the record, runs the work with a
 * progress sink that persists onto the record, enforces the status machine, TTL and per-owner
 * limits, and announces every status change and persisted progress update.
 */
export class TaskRuntime {
  readonly store: TaskStore;
  readonly #events: TaskEvents;
  readonly #logger: DiagnosticLogger;
  readonly #local = new Map<string, LocalTask>();
  readonly #retention: TaskRetention;
  readonly #limits: TaskLimits;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #seq = 0;
  #closed = false;

  constructor(options: TaskRuntimeOptions = {}) {
    this.store = options.store ?? new MemoryTaskStore();
    this.#logger = options.logger ?? stderrLogger;
    this.#events = new TaskEvents(this.#logger);
    this.#limits = taskLimits(options);
    this.#retention = new TaskRetention(this.#limits.maxTasksPerOwner, this.#limits.maxResultBytesPerOwner);
  }

  /** How many of the owner's tasks are still running in this process. */
  runningCount(owner: string): number {
    return this.#retention.unfinished(owner);
  }

  /** What the owner's tasks started here retain: tasks (finished included) and stored result bytes. */
  retained(owner: string): RetainedTasks {
    return this.#retention.of(owner);
  }

  /** Subscribes to status and progress events; returns the unsubscribe function. */
  on(listener: TaskEventListener): () => void {
    return this.#events.on(listener);
  }

  /** Creates the task record and starts the work in the background; resolves with the new record. */
  async start(request: StartTaskRequest): Promise<TaskRecord> {
    if (this.#closed) throw new FastestMcpError("FMCP_ERR_CANCELLED", "The task runtime is closed.");
    const ttl = resolveTtl(this.#limits, request.ttl, request.toolTtl);
    const taskId = randomUUID();
    // Counted before the first await, so concurrent starts cannot both take the last place.
    const evicted = this.#retention.admit(request.owner, taskId);
    if (evicted === undefined) throw new TaskLimitError(this.#limits.maxTasksPerOwner);
    const now = Date.now();
    const timestamp = new Date(now).toISOString();
    const record: TaskRecord = {
      taskId,
      owner: request.owner,
      toolName: request.toolName,
      status: "working",
      createdAt: timestamp,
      lastUpdatedAt: timestamp,
      ttl,
      expiresAt: ttl === null ? null : now + ttl,
      pollInterval: request.pollInterval ?? this.#limits.defaultPollIntervalMs,
      seq: ++this.#seq,
    };
    const local: LocalTask = {
      owner: request.owner,
      controller: new AbortController(),
      settled: createDeferred(),
      running: true,
    };
    this.#local.set(record.taskId, local);
    try {
      await this.#evict(evicted);
      await this.store.create(record);
    } catch (error) {
      local.running = false;
      this.#retention.forget(request.owner, taskId);
      this.#local.delete(record.taskId);
      throw error;
    }
    this.#ensureSweeper();
    this.#events.emit({ type: "status", task: record });
    void this.#run(record, local, request);
    return record;
  }

  /** The record, if `owner` may see it. @throws {TaskNotFoundError} otherwise. */
  async get(owner: string, taskId: string): Promise<TaskRecord> {
    const record = await this.store.get(taskId);
    if (record === undefined || record.owner !== owner) throw new TaskNotFoundError(taskId);
    if (record.expiresAt !== null && record.expiresAt <= Date.now()) {
      await this.#purge(taskId);
      throw new TaskNotFoundError(taskId);
    }
    return record;
  }

  /** One page of the owner's live (unexpired) tasks, oldest first. */
  async list(owner: string, options: { cursor?: string | undefined; pageSize?: number | undefined } = {}) {
    const limit = options.pageSize ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new InvalidParamsError(
        `pageSize must be an integer from 1 to 1000, got ${String(options.pageSize)}.`,
        "invalid-page-size",
      );
    }
    const page = await this.store.list(owner, { cursor: options.cursor, limit });
    const now = Date.now();
    page.tasks = page.tasks.filter((task) => task.expiresAt === null || task.expiresAt > now);
    return page;
  }

  /**
   * Cancels a task that is not terminal: the status becomes `cancelled` before this resolves,
   * then the work's signal aborts. A result that arrives later is dropped.
   * @throws {TaskTerminalError} (-32602) when the task already finished.
   */
  async cancel(owner: string, taskId: string, statusMessage = "Cancelled by request."): Promise<TaskRecord> {
    const record = await this.get(owner, taskId);
    if (isTerminalStatus(record.status)) throw new TaskTerminalError(taskId, record.status);
    const cancelled = await this.store.complete(taskId, {
      status: "cancelled",
      statusMessage,
      lastUpdatedAt: isoNow(),
      // A cancelled request has no result; tasks/result answers with this error instead.
      error: {
        code: ErrorCode.InvalidRequest,
        message: `Task ${taskId} was cancelled, so it has no result: ${statusMessage}`,
        data: { reason: "task-cancelled", taskId },
      },
    });
    if (cancelled === undefined) {
      // The work finished between our read and our write: it won.
      const now = await this.get(owner, taskId);
      throw new TaskTerminalError(taskId, now.status);
    }
    const local = this.#local.get(taskId);
    let evicted: readonly string[] | undefined;
    if (local !== undefined) {
      const reason = new CancelledError(`Task ${taskId} was cancelled: ${statusMessage}`);
      evicted = this.#finishLocal(taskId, local, { ok: false, error: reason }, jsonSize(cancelled.error));
      local.controller.abort(reason);
    }
    this.#events.emit({ type: "status", task: cancelled });
    if (evicted !== undefined) await this.#evict(evicted);
    return cancelled;
  }

  /**
   * Moves a non-terminal task to another status (e.g. `input_required` and back to `working`),
   * following the MCP state machine.
   * @throws {FastestMcpError} `FMCP_ERR_TASK_TRANSITION_INVALID` for a forbidden change.
   */
  async setStatus(
    owner: string,
    taskId: string,
    status: Exclude<TaskStatus, "completed" | "failed" | "cancelled">,
    statusMessage?: string,
  ): Promise<TaskRecord> {
    const record = await this.get(owner, taskId);
    assertTransition(taskId, record.status, status);
    const patch: TaskPatch = { status, lastUpdatedAt: isoNow() };
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
   * Waits until the task is terminal and returns its final record. Tasks running in this process
   * are awaited directly; others (another process sharing the store) are polled.
   */
  async waitForTerminal(
    owner: string,
    taskId: string,
    timeoutMs?: number,
    signal?: AbortSignal,
  ): Promise<TaskRecord> {
    const record = await this.get(owner, taskId);
    if (isTerminalStatus(record.status)) return record;
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
    const local = this.#local.get(taskId);
    if (local !== undefined) {
      await within(local.settled.promise, deadline, () => awaitTimeoutError(taskId, timeoutMs), signal);
      return this.get(owner, taskId);
    }
    for (;;) {
      const wait = Math.min(record.pollInterval ?? this.#limits.defaultPollIntervalMs, deadline - Date.now());
      if (wait <= 0) throw awaitTimeoutError(taskId, timeoutMs);
      await within(
        new Promise((resolve) => setTimeout(resolve, wait)),
        deadline,
        () => awaitTimeoutError(taskId, timeoutMs),
        signal,
      );
      const current = await this.get(owner, taskId);
      if (isTerminalStatus(current.status)) return current;
    }
  }

  /**
   * The in-process outcome of a task that ran here (the handler's own value or error), waiting
   * for it when needed; `undefined` when the task ran elsewhere.
   */
  async localOutcome(owner: string, taskId: string, timeoutMs?: number): Promise<LocalOutcome | undefined> {
    // undefined also when the task ran here but its outcome was not kept (see TaskRunOutcome.local).
    await this.get(owner, taskId);
    const local = this.#local.get(taskId);
    if (local === undefined) return undefined;
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
    return within(local.settled.promise, deadline, () => awaitTimeoutError(taskId, timeoutMs));
  }

  /** Cancels the owner's unfinished tasks and deletes all of its records (its session ended). */
  async releaseOwner(owner: string): Promise<void> {
    for (const [taskId, local] of [...this.#local]) {
      if (local.owner === owner && local.running) {
        await this.cancel(owner, taskId, "The session ended.").catch(() => undefined);
      }
    }
    let cursor: string | undefined;
    do {
      const page = await this.store.list(owner, { cursor, limit: 1000 });
      for (const task of page.tasks) {
        await this.store.delete(task.taskId);
        this.#local.delete(task.taskId);
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    this.#retention.forgetOwner(owner);
  }

  /** Purges expired tasks now (the sweeper does this periodically). Returns their ids. */
  async sweep(): Promise<string[]> {
    const expired = await this.store.expire(Date.now());
    for (const taskId of expired) this.#dropLocal(taskId, "expired");
    return expired;
  }

  /** Cancels every unfinished task started here and stops the sweeper. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    const running = [...this.#local].filter(([, local]) => local.running);
    await Promise.all(
      running.map(([taskId, local]) =>
        this.cancel(local.owner, taskId, "The server shut down.").catch(() => undefined),
      ),
    );
  }

  async #run(record: TaskRecord, local: LocalTask, request: StartTaskRequest): Promise<void> {
    const { taskId } = record;
    const writer = new TaskProgressWriter((progress) => this.#writeProgress(taskId, progress), this.#logger);
    let outcome: TaskRunOutcome;
    try {
      outcome = await request.execute({ taskId, signal: local.controller.signal, progressSink: writer });
    } catch (error) {
      outcome = { local: { ok: false, error }, error: toJsonRpcError(error) };
    }
    await writer.drain();
    // What the owner's result budget is charged; a result too large to keep becomes an error.
    const measured = measureOutcome(taskId, outcome, this.#limits.maxResultBytesPerOwner);
    outcome = measured.outcome;
    const bytes = measured.bytes;
    const failed = outcome.result === undefined || outcome.result.isError === true;
    const patch: TaskPatch & { status: "completed" | "failed" } = {
      status: failed ? "failed" : "completed",
      lastUpdatedAt: isoNow(),
    };
    if (outcome.result !== undefined) patch.result = outcome.result;
    if (outcome.error !== undefined) patch.error = outcome.error;
    if (failed)
      patch.statusMessage = outcome.error?.message ?? firstText(outcome.result) ?? "The tool failed.";
    try {
      const finished = await this.store.complete(taskId, patch);
      // undefined: already cancelled or expired, and terminal never changes.
      if (finished !== undefined) {
        const evicted = this.#finishLocal(taskId, local, outcome.local, bytes);
        this.#events.emit({ type: "status", task: finished });
        await this.#evict(evicted);
      }
    } catch (error) {
      this.#logger.error("could not store the outcome of a task", { taskId, error });
      // Not stored, so nothing to charge (and with no bytes added, nothing is evicted).
      this.#finishLocal(taskId, local, outcome.local, 0);
    }
  }

  async #writeProgress(taskId: string, progress: TaskProgress): Promise<void> {
    const patch: TaskPatch = { progress, lastUpdatedAt: progress.reportedAt };
    // While working, the status message mirrors the latest progress message.
    if (progress.message !== undefined) patch.statusMessage = progress.message;
    const updated = await this.store.update(taskId, patch);
    if (updated !== undefined) this.#events.emit({ type: "progress", task: updated, progress });
  }

  /**
   * Settles a task that just became terminal, charging its owner `bytes` of stored outcome.
   * Returns the ids of the tasks evicted to stay within the owner's bounds; pass them to `#evict`.
   */
  #finishLocal(
    taskId: string,
    local: LocalTask,
    outcome: LocalOutcome | undefined,
    bytes: number,
  ): readonly string[] {
    let evicted: readonly string[] | undefined;
    if (local.running) {
      local.running = false;
      evicted = this.#retention.finish(local.owner, taskId, bytes);
      for (const id of evicted) this.#local.delete(id);
    }
    local.settled.resolve(outcome);
    return evicted ?? [];
  }

  /** Deletes the records of evicted tasks: they answer like expired ones from now on. */
  async #evict(taskIds: readonly string[]): Promise<void> {
    for (const taskId of taskIds) {
      this.#local.delete(taskId);
      await this.store.delete(taskId);
    }
  }

  #dropLocal(taskId: string, why: string): void {
    const local = this.#local.get(taskId);
    if (local === undefined) return;
    if (local.running) {
      local.running = false;
      const reason = new CancelledError(`Task ${taskId} ${why}.`);
      local.settled.resolve({ ok: false, error: reason });
      local.controller.abort(reason);
    }
    this.#retention.forget(local.owner, taskId);
    this.#local.delete(taskId);
  }

  async #purge(taskId: string): Promise<void> {
    await this.store.delete(taskId);
    this.#dropLocal(taskId, "expired");
  }

  #ensureSweeper(): void {
    if (this.#sweeper !== undefined) return;
    this.#sweeper = setInterval(() => {
      this.sweep().catch((error) => this.#logger.error("task sweep failed", { error }));
    }, this.#limits.sweepIntervalMs);
    this.#sweeper.unref?.();
  }
}
