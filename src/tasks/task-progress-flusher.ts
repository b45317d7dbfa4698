import type { ProgressSink } from "../context/progress-sink.js";
import { afterTask } from "../util/after-task.js";
import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import type { TaskEvents } from "./task-events.js";
import type { TaskProgress } from "./task-record.js";
import type { ProgressWrite, TaskStore } from "./task-store.js";

/**
 * One running task's place in the {@link TaskProgressFlusher}: the progress sink its handler
 * reports to, and the latest update not yet handed to the store, kept flat (its fields copied,
 * the update object let go at once). Made once per task and reused for every update: an update
 * object, Map entry or closure held until the next batch would live long enough, at thousands of
 * running tasks, to be promoted and pile up in the old generation until the next full GC.
 */
export class TaskProgressSlot implements ProgressSink {
  readonly taskId: string;
  /** Whether an update is waiting for the store. */
  pending = false;
  /** In the flusher's next batch already. */
  queued = false;
  #current = 0;
  #total: number | undefined = undefined;
  #message: string | undefined = undefined;
  #reportedAt = "";
  readonly #flusher: TaskProgressFlusher;

  constructor(taskId: string, flusher: TaskProgressFlusher) {
    this.taskId = taskId;
    this.#flusher = flusher;
  }

  onProgress(progress: TaskProgress): void {
    // Numbers and strings only: nothing of the update object is kept.
    this.onProgressState(progress.current, progress.total, progress.message, progress.reportedAt);
  }

  /** The tracker's way in: the update's members, no object built for them. */
  onProgressState(
    current: number,
    total: number | undefined,
    message: string | undefined,
    reportedAt: string,
  ): void {
    this.#current = current;
    this.#total = total;
    this.#message = message;
    this.#reportedAt = reportedAt;
    this.pending = true;
    this.#flusher.queue(this);
  }

  /** Drops the pending update (the task ended: it would not be stored). */
  forget(): void {
    this.pending = false;
  }

  /** The pending update as a new object (what the store is handed), and the slot empty again. */
  take(): TaskProgress | undefined {
    if (!this.pending) return undefined;
    this.pending = false;
    return new BatchedProgress(this.#current, this.#total, this.#message, this.#reportedAt);
  }
}

/**
 * A batched update: a {@link TaskProgress} with the members a literal would have (no `undefined`
 * ones, in the same order, so JSON is the same), made by a constructor for the reason
 * {@link BatchedWrite} is.
 */
class BatchedProgress implements TaskProgress {
  // Declared only: a class field would define `total: undefined` and `message: undefined`.
  declare current: number;
  declare total?: number;
  declare message?: string;
  declare reportedAt: string;

  constructor(current: number, total: number | undefined, message: string | undefined, reportedAt: string) {
    this.current = current;
    if (total !== undefined) this.total = total;
    if (message !== undefined) this.message = message;
    this.reportedAt = reportedAt;
  }
}

/**
 * One entry of a batch for the store. A class, not an object literal: V8 tracks a literal's
 * allocation site, and a batch of thousands of entries that outlives one scavenge can get the
 * site "pretenured", after which every entry of every batch is allocated straight into the old
 * generation, to pile up there as garbage until the next full GC.
 */
class BatchedWrite implements ProgressWrite {
  readonly taskId: string;
  readonly progress: TaskProgress;

  constructor(taskId: string, progress: TaskProgress) {
    this.taskId = taskId;
    this.progress = progress;
  }
}

/**
 * Persists the progress of every running task in batches: per task only the latest update is
 * kept (latest wins), and every `intervalMs` (0: once the current turn of the event loop is done)
 * the pending ones go to the store in one `updateProgress` (one transaction in a durable store). One
 * batch is in flight at a time, so a slow store sees the latest states, never a backlog. Stored
 * progress is thus at most `intervalMs` plus one write stale, which is what a crash can lose.
 */
export class TaskProgressFlusher {
  readonly #store: TaskStore;
  readonly #intervalMs: number;
  readonly #logger: DiagnosticLogger;
  readonly #events: TaskEvents;
  /** The slots with an update for the next batch; swapped with #spare per batch (no new arrays). */
  #pending: TaskProgressSlot[] = [];
  #spare: TaskProgressSlot[] = [];
  /** The batch being written; emptied once the store has it (see `TaskStore.updateProgress`). */
  readonly #writes: ProgressWrite[] = [];
  #scheduled = false;
  #inflight: Promise<void> | undefined;

  /** `events` gets a `progress` event for every update that reached the store. */
  constructor(
    store: TaskStore,
    intervalMs: number,
    events: TaskEvents,
    logger: DiagnosticLogger = stderrLogger,
  ) {
    this.#store = store;
    this.#intervalMs = intervalMs;
    this.#events = events;
    this.#logger = logger;
  }

  /** The slot (and progress sink) of a task that starts running. */
  slot(taskId: string): TaskProgressSlot {
    return new TaskProgressSlot(taskId, this);
  }

  /** @internal A slot has a new update: it is stored with the next batch. */
  queue(slot: TaskProgressSlot): void {
    if (!slot.queued) {
      slot.queued = true;
      this.#pending.push(slot);
    }
    this.#schedule();
  }

  /**
   * Takes the task's pending progress out of the batches, once no batch is in flight: the
   * runtime writes it with the terminal status, so the final progress is stored first (or in
   * the same write) and never after it.
   */
  async takeFinal(slot: TaskProgressSlot): Promise<TaskProgress | undefined> {
    while (this.#inflight !== undefined) await this.#inflight;
    return slot.take();
  }

  /** Stores everything pending now and waits for it. */
  async flush(): Promise<void> {
    while (this.#inflight !== undefined) await this.#inflight;
    if (this.#pending.length > 0) await this.#write();
  }

  #schedule(): void {
    if (this.#scheduled || this.#inflight !== undefined) return;
    this.#scheduled = true;
    if (this.#intervalMs === 0) afterTask(this.#run);
    else setTimeout(this.#run, this.#intervalMs).unref?.();
  }

  // Bound once: no closure per batch.
  readonly #run = (): void => {
    this.#scheduled = false;
    if (this.#inflight === undefined && this.#pending.length > 0) void this.#write();
  };

  #write(): Promise<void> {
    const batch = this.#pending;
    this.#pending = this.#spare;
    // Reused by every batch (one is in flight at a time): no array of thousands grown per batch.
    const writes = this.#writes;
    for (const slot of batch) {
      // A slot forgotten (or its final progress taken) since it was queued has nothing left.
      // A fresh write and progress object, which die with the batch: one kept per slot until the
      // next batch would live through a whole round of updates, long enough to be promoted.
      const progress = slot.take();
      if (progress !== undefined) writes.push(new BatchedWrite(slot.taskId, progress));
      slot.queued = false;
    }
    batch.length = 0;
    this.#spare = batch;
    if (writes.length === 0) return Promise.resolve();
    const written = this.#store
      .updateProgress(writes)
      .then(
        (stored) => this.#announce(writes, stored),
        (error: unknown) => {
          this.#logger.error("could not store task progress", { tasks: writes.length, error });
        },
      )
      .finally(() => {
        writes.length = 0;
        this.#inflight = undefined;
        if (this.#pending.length > 0) this.#schedule();
      });
    this.#inflight = written;
    return written;
  }

  /**
   * The `progress` events of a batch (it counts as in flight until they are out, so a terminal
   * status is never announced before them): with each task's record, read back only while
   * someone listens to progress (`updateProgress` returns no records).
   */
  async #announce(writes: ProgressWrite[], stored: boolean[]): Promise<void> {
    if (!this.#events.hearsProgress) return;
    for (let i = 0; i < writes.length; i++) {
      const { taskId, progress } = writes[i] as ProgressWrite;
      const task = stored[i] === true ? await this.#store.get(taskId).catch(() => undefined) : undefined;
      if (task !== undefined) this.#events.emit({ type: "progress", task, progress });
    }
  }
}
