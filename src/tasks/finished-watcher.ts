import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import type { TaskStore } from "./task-store.js";

/**
 * Polls a shared store (`TaskStore.finishedSince`) for tasks that became terminal, so a process
 * notices what another process did to the tasks it runs: a `tasks/cancel` served elsewhere
 * reaches the handler here within about `intervalMs`. One query per interval, however many tasks
 * run. Without `finishedSince` (a store only this process sees) it does nothing.
 */
export class FinishedWatcher {
  readonly #store: TaskStore;
  readonly #intervalMs: number;
  readonly #onFinished: (taskIds: string[]) => Promise<void>;
  readonly #logger: DiagnosticLogger;
  #started: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #cursor = 0;
  #polling = false;

  constructor(
    store: TaskStore,
    intervalMs: number,
    onFinished: (taskIds: string[]) => Promise<void>,
    logger: DiagnosticLogger = stderrLogger,
  ) {
    this.#store = store;
    this.#intervalMs = intervalMs;
    this.#onFinished = onFinished;
    this.#logger = logger;
  }

  /**
   * Starts watching from now; resolves once the starting point is known, so a task created after
   * this cannot finish unnoticed. Later calls return the same promise. `undefined` when the store
   * is not shared (no `finishedSince`): nothing to watch, nothing to wait for.
   */
  start(): Promise<void> | undefined {
    if (this.#started !== undefined) return this.#started;
    const finishedSince = this.#store.finishedSince?.bind(this.#store);
    if (finishedSince === undefined) return undefined;
    this.#started = finishedSince(undefined).then(
      (first) => {
        this.#cursor = first.cursor;
        this.#timer = setInterval(() => void this.#poll(finishedSince), this.#intervalMs);
        this.#timer.unref?.();
      },
      (error: unknown) => {
        // The store is unreachable for now (Redis down): the next task asks again, not this answer.
        this.#started = undefined;
        throw error;
      },
    );
    return this.#started;
  }

  /** Reads the finished log now, once (after the event bus lost events); nothing before `start`. */
  pollNow(): void {
    const finishedSince = this.#store.finishedSince?.bind(this.#store);
    if (this.#timer !== undefined && finishedSince !== undefined) void this.#poll(finishedSince);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#started = undefined;
  }

  async #poll(finishedSince: NonNullable<TaskStore["finishedSince"]>): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const next = await finishedSince(this.#cursor);
      this.#cursor = next.cursor;
      if (next.taskIds.length > 0) await this.#onFinished(next.taskIds);
    } catch (error) {
      this.#logger.error("could not read finished tasks from the store", { error });
    } finally {
      this.#polling = false;
    }
  }
}
