import { Cancellation } from "../context/cancellation.js";
import { CancelledError } from "../errors.js";
import type { TaskRunOutcome } from "./task-execution.js";
import type { TaskProgressSlot } from "./task-progress-flusher.js";

/** The handler's own value or error, for in-process `awaitTask`. */
export type LocalOutcome = NonNullable<TaskRunOutcome["local"]>;

/** A task this process runs (or ran): what only this process can know about it. */
export interface LocalTask {
  readonly owner: string;
  /** Its signal is built only if the work reads it (see `TaskExecution.cancellation`). */
  readonly cancellation: Cancellation;
  /**
   * Resolves when the task is terminal: with the handler's outcome, if it was kept. Never
   * rejects (a failure is an outcome), so it needs no catch handler against unhandled
   * rejections: a `Deferred` would add one, with its promise, per task.
   */
  readonly settled: Promise<LocalOutcome | undefined>;
  readonly resolve: (outcome: LocalOutcome | undefined) => void;
  /** Its progress sink, and the update not stored yet. */
  readonly progress: TaskProgressSlot;
  running: boolean;
  /** Set while this process writes the task's own terminal status: not another process's doing. */
  finishing: boolean;
}

/**
 * The tasks started in this process: their handlers' cancellations, their in-process outcomes
 * and how many each owner has running. Records live in the store; this is what a store cannot
 * hold (functions, signals, values that are not JSON), kept until the record goes.
 */
export class LocalTasks {
  readonly #tasks = new Map<string, LocalTask>();
  readonly #running = new Map<string, number>();

  /** How many of the owner's tasks run in this process. */
  runningCount(owner: string): number {
    return this.#running.get(owner) ?? 0;
  }

  get(taskId: string): LocalTask | undefined {
    return this.#tasks.get(taskId);
  }

  /** The running tasks, with their ids. */
  running(): Array<[string, LocalTask]> {
    return [...this.#tasks].filter(([, local]) => local.running);
  }

  /** Registers a task that starts running now. */
  start(taskId: string, owner: string, progress: TaskProgressSlot): LocalTask {
    let resolve!: LocalTask["resolve"];
    const settled = new Promise<LocalOutcome | undefined>((settle) => {
      resolve = settle;
    });
    const local: LocalTask = {
      owner,
      cancellation: new Cancellation(),
      settled,
      resolve,
      progress,
      running: true,
      finishing: false,
    };
    this.#tasks.set(taskId, local);
    this.#running.set(owner, this.runningCount(owner) + 1);
    return local;
  }

  /** Marks a task finished and hands its outcome to whoever awaits it. */
  settle(local: LocalTask, outcome: LocalOutcome | undefined): void {
    // Progress not stored by now never will be: the terminal write carried what was taken for it.
    local.progress.forget();
    if (local.running) {
      local.running = false;
      const count = this.runningCount(local.owner) - 1;
      if (count > 0) this.#running.set(local.owner, count);
      else this.#running.delete(local.owner);
    }
    local.resolve(outcome);
  }

  /** Settles and aborts the task's handler if it still runs here: the task ended without it. */
  abort(taskId: string, reason: CancelledError): void {
    const local = this.#tasks.get(taskId);
    if (local === undefined || !local.running) return;
    this.settle(local, { ok: false, error: reason });
    local.cancellation.abort(reason);
  }

  /** Forgets a task whose record is gone (aborting its handler first). */
  drop(taskId: string, why: string): void {
    this.abort(taskId, new CancelledError(`Task ${taskId} ${why}.`));
    this.#tasks.delete(taskId);
  }
}
