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
  readonly #logger: DiagnosticLogger;

  /** `logger` hears about listeners that throw (default: a line on stderr). */
  constructor(logger: DiagnosticLogger = stderrLogger) {
    this.#logger = logger;
  }

  /** Adds a listener; returns the function that removes it. */
  on(listener: TaskEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: TaskEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error("task event listener threw", { event: event.type, error });
      }
    }
  }
}
