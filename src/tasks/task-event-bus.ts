import type { TaskEvent, TaskLogEvent } from "./task-events.js";

/** What crosses instances: a status change, a stored progress update or a task's log entry. */
export type SharedTaskEvent = TaskEvent | TaskLogEvent;

/**
 * Carries task events between the instances of a server that share a store (a `Backend`'s
 * `events`, e.g. Redis Streams from `fastestmcp/redis`), so a status change, a stored progress
 * update or a log entry of a task running on instance A reaches listeners, waiters and sessions
 * on instance B. The runtime publishes every event of its own and delivers every event of the
 * others; an implementation never hands an instance its own events back.
 *
 * What an implementation promises: events of one publisher arrive in the order it published them,
 * each once; none is lost while the transport reconnects (within what it keeps, stated by the
 * implementation). Delivery is at most once for events published while the transport is away
 * for longer than its retries: a waiter still finds the terminal state in the store (the runtime
 * keeps reading it, slowly).
 */
export interface TaskEventBus {
  /**
   * Starts delivering the other instances' events to `deliver`, in order. Resolves once every
   * event published from then on (by any instance) is sure to be delivered; rejects when the
   * transport cannot be reached (the runtime asks again later). Called once per runtime.
   */
  start(deliver: (event: SharedTaskEvent) => void): Promise<void>;
  /**
   * Publishes an event of this instance. Never throws and never blocks the caller: events are
   * sent in batches, in the order given; a failure is reported to the implementation's logger.
   */
  publish(event: SharedTaskEvent): void;
  /** Resolves once every event published so far was sent (or failed). */
  flush(): Promise<void>;
  /** Stops delivering and releases the connections; called by the backend's `close()`. */
  close(): Promise<void>;
}
