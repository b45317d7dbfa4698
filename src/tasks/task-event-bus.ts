import type { TaskEvent, TaskLogEvent } from "./task-events.js";

/** A client's answers to a task's input requests, by request key (a `tasks/update`'s `inputResponses`). */
export type TaskInputResponses = Readonly<Record<string, Record<string, unknown>>>;

/**
 * Answers to a task's input requests on their way to the instance whose handler waits for them
 * (a `tasks/update` served by another instance). Never announced to listeners: it carries what
 * the client answered, and only the instance running the task acts on it.
 */
export interface TaskInputEvent {
  type: "input";
  taskId: string;
  /** The task's owner, as on its record (the instance that sent it checked the caller was). */
  owner: string;
  /** Only answers under keys the record asked, each checked against its question by the sender. */
  responses: TaskInputResponses;
}

/**
 * What crosses instances: a status change, a stored progress update, a task's log entry, or
 * answers for a task waiting for input.
 */
export type SharedTaskEvent = TaskEvent | TaskLogEvent | TaskInputEvent;

/**
 * Carries task events between the instances of a server that share a store (a `Backend`'s
 * `events`, e.g. Redis Streams from `fastestmcp/redis`), so a status change, a stored progress
 * update or a log entry of a task running on instance A reaches listeners, waiters and sessions
 * on instance B, and answers to a task's input requests served by B reach the handler on A. The
 * runtime publishes every event of its own and delivers every event of the others; an
 * implementation never hands an instance its own events back.
 *
 * What an implementation promises: events of one publisher arrive in the order it published them,
 * each once, as long as the reader keeps up (within what the transport keeps, stated by the
 * implementation). When it cannot keep that promise (its reader fell behind what the transport
 * keeps, or was away longer), it must notice and call `lost`: the runtime then resynchronises from
 * the store. After `lost`, what is guaranteed is the latest state, not every event: every wait for
 * a task running elsewhere reads the store at once (so a task that ended in the gap ends its
 * waits), a handler here whose task was ended elsewhere is stopped, and every task running
 * elsewhere that this instance had heard of and not seen end is read, its listeners given its
 * current status (when it changed, or ended) and latest stored progress; events of the gap
 * itself (intermediate progress, log entries, input answers) are not replayed, and a task this
 * instance never heard of before the gap is learnt of from its next event. Events published
 * while the transport is unreachable for longer than its retries may be lost without `lost`
 * (reported to the implementation's logger): the runtime's slow read of the store ends the
 * waits then.
 */
export interface TaskEventBus {
  /**
   * Starts delivering the other instances' events to `deliver`, in order, and calls `lost` when
   * events it should have delivered are gone (see above). Resolves once every event published
   * from then on (by any instance) is sure to be delivered; rejects when the transport cannot be
   * reached (the runtime asks again later). Called once per runtime.
   */
  start(deliver: (event: SharedTaskEvent) => void, lost?: () => void): Promise<void>;
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
