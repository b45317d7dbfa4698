import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import type { TaskProgress, TaskRecord } from "./task-record.js";

/** What the task runtime announces: every status change and every persisted progress update. */
export type TaskEvent =
  | { type: "status"; task: TaskRecord }
  | { type: "progress"; task: TaskRecord; progress: TaskProgress };

/** Receives {@link TaskEvent}s. */
export type TaskEventListener = (event: TaskEvent) => void;

/**
 * A plain listener set: cheaper per event than `EventTarget` (no Event object per emit), which
 * matters at thousands of progress updates per second.
 */
export class TaskEvents {
  readonly #listeners = new Set<TaskEventListener>();
  /** The listeners that take status events only. */
  readonly #statusOnly = new Set<TaskEventListener>();
  readonly #logger: DiagnosticLogger;

  /** `logger` hears about listeners that throw (default: a line on stderr). */
  constructor(logger: DiagnosticLogger = stderrLogger) {
    this.#logger = logger;
  }

  /**
   * Adds a listener; returns the function that removes it. `{ progress: false }`: status events
   * only (the runtime then reads no record for a progress update nobody else hears about).
   */
  on(listener: TaskEventListener, options: { progress?: boolean } = {}): () => void {
    const set = options.progress === false ? this.#statusOnly : this.#listeners;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Whether anyone listens to progress events. */
  get hearsProgress(): boolean {
    return this.#listeners.size > 0;
  }

  emit(event: TaskEvent): void {
    if (event.type === "status") this.#call(this.#statusOnly, event);
    this.#call(this.#listeners, event);
  }

  #call(listeners: Set<TaskEventListener>, event: TaskEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error("task event listener threw", { event: event.type, error });
      }
    }
  }
}
