import type { TaskRecord } from "../../tasks/task-record.js";
import { type DiagnosticLogger, stderrLogger } from "../../util/diagnostics.js";

/** The list-changed notifications a server sends when its tools, resources or prompts change. */
export type ListChangedMethod =
  | "notifications/tools/list_changed"
  | "notifications/resources/list_changed"
  | "notifications/prompts/list_changed";

/**
 * What happens on a server that a `subscriptions/listen` stream may want to hear: a list changed,
 * a resource changed, or a task changed (its status or its stored progress; `task` is the record
 * as stored after the change). Plain data, so a multi-instance hub can carry it between instances.
 */
export type HubEvent =
  | { readonly type: "list-changed"; readonly method: ListChangedMethod }
  | { readonly type: "resource-updated"; readonly uri: string }
  | { readonly type: "task"; readonly task: TaskRecord };

/** Receives hub events; returns true when it will send something for this one. */
export type HubListener = (event: HubEvent) => boolean;

/**
 * The fan-out between what changes on a server and the `subscriptions/listen` streams open on it.
 * The server publishes every change (list changes, `notifyResourceUpdated`, the task runtime's
 * events); each open stream subscribes and picks what its filter and owner allow. The in-process
 * {@link LocalSubscriptionHub} serves one instance; a backend shared by several instances (Redis)
 * can implement this interface to deliver every instance's changes to every instance's streams.
 */
export interface SubscriptionHub {
  /**
   * Delivers `event` to every subscribed listener (this instance's, and with a shared hub the
   * other instances' too); returns how many of this instance's listeners will send something.
   */
  publish(event: HubEvent): number;
  /** Adds a listener; returns the function that removes it (calling it twice is harmless). */
  subscribe(listener: HubListener): () => void;
  /** This instance's listeners: one per open `subscriptions/listen` stream. */
  readonly listenerCount: number;
  /**
   * Ends every subscription (the server is closing): each `end` callback given to
   * {@link onClose} runs once, and the streams answer their listen request.
   */
  close(): void;
  /** Runs `callback` when the hub closes (at once if it has); returns the function that unregisters it. */
  onClose(callback: () => void): () => void;
}

/** The hub of one server instance: a plain listener set (no Event objects: progress is frequent). */
export class LocalSubscriptionHub implements SubscriptionHub {
  readonly #listeners = new Set<HubListener>();
  readonly #closers = new Set<() => void>();
  #closed = false;
  readonly #logger: DiagnosticLogger;

  /** `logger` hears about listeners that throw (default: a line on stderr). */
  constructor(logger: DiagnosticLogger = stderrLogger) {
    this.#logger = logger;
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  publish(event: HubEvent): number {
    let taken = 0;
    // A listener that throws must not stop the others, nor fail the publisher (an addTool).
    for (const listener of this.#listeners) {
      try {
        if (listener(event)) taken++;
      } catch (error) {
        this.#logger.error("subscription listener threw", { event: event.type, error });
      }
    }
    return taken;
  }

  subscribe(listener: HubListener): () => void {
    // Each subscription is its own entry, even for the same function.
    const entry: HubListener = (event) => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  onClose(callback: () => void): () => void {
    if (this.#closed) {
      callback();
      return () => {};
    }
    const entry = (): void => callback();
    this.#closers.add(entry);
    return () => {
      this.#closers.delete(entry);
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const closers = [...this.#closers];
    this.#closers.clear();
    for (const closer of closers) closer();
  }
}
