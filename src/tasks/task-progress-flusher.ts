import { afterTask } from "../util/after-task.js";
import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import type { TaskPatch, TaskProgress, TaskRecord } from "./task-record.js";
import type { TaskStore } from "./task-store.js";

/** The patch that stores `progress`; while working, the status message mirrors its message. */
export function progressPatch(progress: TaskProgress): TaskPatch {
  const patch: TaskPatch = { progress, lastUpdatedAt: progress.reportedAt };
  if (progress.message !== undefined) patch.statusMessage = progress.message;
  return patch;
}

/**
 * Persists the progress of every running task in batches: per task only the latest update is
 * kept (latest wins), and every `intervalMs` (0: once the current turn of the event loop is done)
 * the pending ones go to the store in one `updateMany` (one transaction in a durable store). One
 * batch is in flight at a time, so a slow store sees the latest states, never a backlog. Stored
 * progress is thus at most `intervalMs` plus one write stale, which is what a crash can lose.
 */
export class TaskProgressFlusher {
  readonly #store: TaskStore;
  readonly #intervalMs: number;
  readonly #logger: DiagnosticLogger;
  readonly #stored: (record: TaskRecord, progress: TaskProgress) => void;
  #pending = new Map<string, TaskProgress>();
  #scheduled = false;
  #inflight: Promise<void> | undefined;

  /** `stored` hears about every update that reached the store (the runtime's progress events). */
  constructor(
    store: TaskStore,
    intervalMs: number,
    stored: (record: TaskRecord, progress: TaskProgress) => void,
    logger: DiagnosticLogger = stderrLogger,
  ) {
    this.#store = store;
    this.#intervalMs = intervalMs;
    this.#stored = stored;
    this.#logger = logger;
  }

  /** Accepts the latest progress of a task; it is stored with the next batch. */
  set(taskId: string, progress: TaskProgress): void {
    this.#pending.set(taskId, progress);
    this.#schedule();
  }

  /**
   * Takes the task's pending progress out of the batches, once no batch is in flight: the
   * runtime writes it with the terminal status, so the final progress is stored first (or in
   * the same write) and never after it.
   */
  async takeFinal(taskId: string): Promise<TaskProgress | undefined> {
    while (this.#inflight !== undefined) await this.#inflight;
    const progress = this.#pending.get(taskId);
    this.#pending.delete(taskId);
    return progress;
  }

  /** Drops a task's pending progress (it was cancelled or expired: it would not be stored). */
  forget(taskId: string): void {
    this.#pending.delete(taskId);
  }

  /** Stores everything pending now and waits for it. */
  async flush(): Promise<void> {
    while (this.#inflight !== undefined) await this.#inflight;
    if (this.#pending.size > 0) await this.#write();
  }

  #schedule(): void {
    if (this.#scheduled || this.#inflight !== undefined) return;
    this.#scheduled = true;
    const run = () => {
      this.#scheduled = false;
      if (this.#inflight === undefined && this.#pending.size > 0) void this.#write();
    };
    if (this.#intervalMs === 0) afterTask(run);
    else setTimeout(run, this.#intervalMs).unref?.();
  }

  #write(): Promise<void> {
    const batch = this.#pending;
    this.#pending = new Map();
    const entries = [...batch];
    const written = this.#store
      .updateMany(entries.map(([taskId, progress]) => ({ taskId, patch: progressPatch(progress) })))
      .then(
        (records) => {
          for (let i = 0; i < entries.length; i++) {
            const record = records[i];
            if (record !== undefined) this.#stored(record, (entries[i] as [string, TaskProgress])[1]);
          }
        },
        (error: unknown) => {
          this.#logger.error("could not store task progress", { tasks: entries.length, error });
        },
      )
      .finally(() => {
        this.#inflight = undefined;
        if (this.#pending.size > 0) this.#schedule();
      });
    this.#inflight = written;
    return written;
  }
}
