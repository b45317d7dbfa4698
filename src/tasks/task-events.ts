import type { LogEntry, LogSink } from "../context/logger.js";
import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import type { TaskProgress, TaskRecord } from "./task-record.js";

/**
 * What the task runtime announces: every status change and every persisted progress update.
 * `remote` marks an event of a task another instance runs (delivered by the backend's event
 * bus); its record carries no `result` (read it with `tasks/result` or `awaitTask`).
 */
export type TaskEvent =
  | { type: "status"; task: TaskRecord; remote?: true }
  | { type: "progress"; task: TaskRecord; progress: TaskProgress; remote?: true };

/**
 * A `ctx.log` entry written by a task's handler, announced only to listeners that ask for logs
 * (`{ logs: true }`): the entry is not kept on the record, and nobody pays for it unasked.
 */
export interface TaskLogEvent {
  type: "log";
  taskId: string;
  /** The task's owner, as on its record. */
  owner: string;
  entry: LogEntry;
  /** Written by a handler running on another instance. */
  remote?: true;
}

/** Receives {@link TaskEvent}s. */
export type TaskEventListener = (event: TaskEvent) => void;

/** Receives {@link TaskEvent}s and {@link TaskLogEvent}s (subscribed with `{ logs: true }`). */
export type TaskActivityListener = (event: TaskEvent | TaskLogEvent) => void;

/**
 * A plain listener set: cheaper per event than `EventTarget` (no Event object per emit), which
 * matters at thousands of progress updates per second.
 */
export class TaskEvents {
  /** Listeners of status and progress events (log listeners among them). */
  readonly #listeners = new Set<TaskActivityListener>();
  /** The listeners that take status events only. */
  readonly #statusOnly = new Set<TaskActivityListener>();
  /** The listeners that asked for log entries too (also in one of the sets above). */
  readonly #logListeners = new Set<TaskActivityListener>();
  readonly #logger: DiagnosticLogger;
  /** Where this instance's own events go besides the listeners (the backend's event bus). */
  readonly #forward: ((event: TaskEvent | TaskLogEvent) => void) | undefined;

  /**
   * `logger` hears about listeners that throw (default: a line on stderr); `forward` is given
   * every event emitted here, log entries included (not those delivered with `deliverRemote`).
   */
  constructor(logger: DiagnosticLogger = stderrLogger, forward?: (event: TaskEvent | TaskLogEvent) => void) {
    this.#logger = logger;
    this.#forward = forward;
  }

  /**
   * Adds a listener; returns the function that removes it. `{ progress: false }`: status events
   * only (the runtime then reads no record for a progress update nobody else hears about).
   * `{ logs: true }`: task log entries too.
   */
  on(listener: TaskActivityListener, options: { progress?: boolean; logs?: boolean } = {}): () => void {
    const set = options.progress === false ? this.#statusOnly : this.#listeners;
    set.add(listener);
    if (options.logs === true) this.#logListeners.add(listener);
    return () => {
      set.delete(listener);
      this.#logListeners.delete(listener);
    };
  }

  /**
   * Whether anyone hears progress events: a listener here, or the bus this instance forwards its
   * events to (other instances' listeners).
   */
  get hearsProgress(): boolean {
    return this.#listeners.size > 0 || this.#forward !== undefined;
  }

  /** Announces an event of this instance to the listeners (and forwards it). */
  emit(event: TaskEvent): void {
    if (event.type === "status") this.#deliver(this.#statusOnly, event);
    this.#deliver(this.#listeners, event);
    this.#forward?.(event);
  }

  /** Announces another instance's event to the listeners only: it is never forwarded back. */
  deliverRemote(event: TaskEvent | TaskLogEvent): void {
    if (event.type === "status") this.#deliver(this.#statusOnly, event);
    this.#deliver(event.type === "log" ? this.#logListeners : this.#listeners, event);
  }

  /**
   * Where a task's log entries go: `next` (the caller's or the session's sink) plus, while a
   * listener asks for logs or events are forwarded, a log event. Neither: `next` itself, at no cost.
   */
  logSink(taskId: string, owner: string, next: LogSink | undefined): LogSink | undefined {
    const forward = this.#forward;
    if (forward === undefined && this.#logListeners.size === 0) return next;
    return {
      onLog: (entry) => {
        next?.onLog(entry);
        const event: TaskLogEvent = { type: "log", taskId, owner, entry };
        this.#deliver(this.#logListeners, event);
        forward?.(event);
      },
    };
  }

  #deliver(listeners: Set<TaskActivityListener>, event: TaskEvent | TaskLogEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error("task event listener threw", { event: event.type, error });
      }
    }
  }
}
