import type { TaskEventBus } from "../tasks/task-event-bus.js";
import type { TaskQueue } from "../tasks/task-queue.js";
import type { TaskStore } from "../tasks/task-store.js";
import type { SessionDirectory } from "./session/session-directory.js";
import type { SubscriptionHub } from "./subscriptions/subscription-hub.js";

/**
 * Where a server keeps the state that several instances share (the `backend` server option),
 * e.g. `redisBackend({ url })` from `fastestmcp/redis`. It supplies the task store and the task
 * event bus, the 2025-11-25 sessions of the HTTP transport, and optionally the job queue tasks
 * run from.
 *
 * The server owns the backend it is given: `server.close()` closes it, after the task runtime
 * has stopped (so one backend serves one server).
 */
export interface Backend {
  /** Names the backend in messages (e.g. `"redis"`). */
  readonly name: string;
  /** The store of the server's tasks (instead of `tasks.store`). */
  readonly taskStore: TaskStore;
  /**
   * Carries task events between the instances (status, stored progress, log entries), given to
   * the task runtime as its `events`. Without it, another instance's tasks are seen by reading
   * the store every `storePollIntervalMs`.
   */
  readonly events?: TaskEventBus;
  /**
   * The fan-out to `subscriptions/listen` streams shared by every instance (optional: without it
   * a stream hears only the changes of the instance it is open on).
   */
  readonly subscriptionHub?: SubscriptionHub;
  /**
   * Where the HTTP transport keeps its 2025-11-25 sessions, so that any instance answers any
   * session's requests (no sticky sessions). Without it a session lives in the instance that
   * opened it. See docs/scale-out.md.
   */
  readonly sessions?: SessionDirectory;
  /**
   * Where background tasks run (optional): with it, a task is a job that any instance, or a
   * dedicated worker (`server.runWorker()`), with the same tools runs (docs/queue.md). Without
   * it, a task runs in the process that accepted it.
   */
  readonly queue?: TaskQueue;
  /** Releases the backend's connections; called once, by `server.close()`. */
  close(): Promise<void>;
}
