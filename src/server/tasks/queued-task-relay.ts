import type { LogSink } from "../../context/logger.js";
import type { ProgressSink } from "../../context/progress-sink.js";
import type { TaskEvent, TaskLogEvent } from "../../tasks/task-events.js";
import type { TaskRuntime } from "../../tasks/task-runtime.js";
import { isTerminalStatus } from "../../tasks/task-status.js";

/** Where a queued task's progress and logs go on the instance that accepted it. */
interface Route {
  readonly progress: ProgressSink | undefined;
  readonly log: LogSink | undefined;
  /** False once the caller is gone (its session closed): the route goes at the task's next event. */
  readonly live: (() => boolean) | undefined;
}

/**
 * Brings a queued task's progress and logs back to the caller that started it on this instance:
 * the job runs on some worker, which stores its progress and publishes it (and its log entries)
 * on the backend's event bus; here they become the caller's `notifications/progress` (on its
 * progress token) and `notifications/message` (a 2025-11-25 session), or its `onProgress` /
 * `onLog` (in-process). A route lasts until the task's terminal status. Nothing listens until
 * the first queued task is routed, so a server without a queue pays nothing.
 */
export class QueuedTaskRelay {
  readonly #runtime: TaskRuntime;
  readonly #routes = new Map<string, Route>();
  #listening = false;

  constructor(runtime: TaskRuntime) {
    this.#runtime = runtime;
  }

  /** Routes task `taskId`'s progress to `progress` and its log entries to `log`, while `live` says so. */
  add(
    taskId: string,
    progress: ProgressSink | undefined,
    log: LogSink | undefined,
    live?: () => boolean,
  ): void {
    // Kept without sinks too: the route also marks the tasks whose status this instance announces.
    this.#routes.set(taskId, { progress, log, live });
    if (this.#listening) return;
    this.#listening = true;
    this.#runtime.on((event) => this.#deliver(event), { logs: true });
  }

  /**
   * Whether this instance accepted queued task `taskId` and routes its events (until its terminal
   * status): it then announces the task's status to 2025-11-25 sessions, after the progress it
   * relayed, so a client never hears the end before the final progress.
   */
  has(taskId: string): boolean {
    return this.#routes.has(taskId);
  }

  /** How many tasks are routed (tests, diagnostics). */
  get size(): number {
    return this.#routes.size;
  }

  #deliver(event: TaskEvent | TaskLogEvent): void {
    const taskId = event.type === "log" ? event.taskId : event.task.taskId;
    const route = this.#routes.get(taskId);
    if (route === undefined) return;
    if (route.live?.() === false) {
      this.#routes.delete(taskId);
      return;
    }
    if (event.type === "log") {
      route.log?.onLog(event.entry);
      return;
    }
    // The final progress comes before the terminal status, in the same order as published.
    if (event.type === "progress") route.progress?.onProgress(event.progress);
    else if (isTerminalStatus(event.task.status)) this.#routes.delete(taskId);
  }
}
