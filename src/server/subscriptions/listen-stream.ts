import type { JsonRpcId, JsonRpcMessage } from "../../protocol/jsonrpc.js";
import {
  ACKNOWLEDGED_METHOD,
  type SubscriptionFilter,
  streamNotification,
  TASK_NOTIFICATION_METHOD,
} from "../../protocol/revisions/subscriptions.js";
import type { TaskExtensionWire } from "../../protocol/revisions/tasks-extension.js";
import type { TaskRecord } from "../../tasks/task-record.js";
import type { HubEvent, ListChangedMethod } from "./subscription-hub.js";

/** Where a listen stream writes: the listen request's response (HTTP SSE) or the stdio connection. */
export interface StreamSink {
  send(message: JsonRpcMessage): void;
  /** True while the client is not reading what was written (then the stream holds back). */
  readonly congested: boolean;
  /** Runs `callback` once when a congested sink can take more. */
  onDrain(callback: () => void): void;
}

/** What one listen stream sends, and to whom. */
export interface ListenStreamOptions {
  /** The listen request's id: stamped on every message (`io.modelcontextprotocol/subscriptionId`). */
  readonly subscriptionId: JsonRpcId;
  /** What the client asked for: events are matched against it (and the owner). */
  readonly filter: SubscriptionFilter;
  /** Whose tasks the stream may report: the listen request's owner. */
  readonly owner: string;
  /** The tasks extension's shapes, when the request declared it (`notifications/tasks`). */
  readonly tasks: TaskExtensionWire | undefined;
  /** Whether the listener may read a resource now: an update of one it may not is not sent. */
  readonly canRead?: (uri: string) => boolean;
  readonly sink: StreamSink;
}

const LIST_FLAGS: Record<ListChangedMethod, keyof SubscriptionFilter> = {
  "notifications/tools/list_changed": "toolsListChanged",
  "notifications/resources/list_changed": "resourcesListChanged",
  "notifications/prompts/list_changed": "promptsListChanged",
};

/**
 * One open `subscriptions/listen` stream: the acknowledgement first, then what its filter names,
 * each message stamped with the subscription id. Only the listener's owner's tasks are reported,
 * and only updates of resources it may read.
 *
 * Bounded for a slow client: what waits to be written is at most one entry per list, per URI
 * and per task the filter names (a repeated list change is sent once; for a task the latest state
 * wins), and nothing is written while the sink is congested. A burst in one tick is written on the
 * next microtask, coalesced the same way.
 */
export class ListenStream {
  readonly #options: ListenStreamOptions;
  readonly #resources: ReadonlySet<string>;
  readonly #taskIds: ReadonlySet<string>;
  /** What waits to be written, by key (`list:`, `uri:`, `task:`), oldest first; the latest value wins. */
  readonly #pending = new Map<string, HubEvent>();
  /** Tasks an event was taken for: a seed (the state read at start) must not overwrite them. */
  readonly #heard = new Set<string>();
  #started = false;
  #scheduled = false;
  #waitingForDrain = false;
  #closed = false;
  readonly #flush = (): void => {
    this.#scheduled = false;
    this.#write();
  };
  readonly #drained = (): void => {
    this.#waitingForDrain = false;
    this.#write();
  };

  constructor(options: ListenStreamOptions) {
    this.#options = options;
    this.#resources = new Set(options.filter.resourceSubscriptions);
    this.#taskIds = new Set(options.filter.taskIds);
  }

  /** Messages waiting to be written (bounded: see the class comment). */
  get pending(): number {
    return this.#pending.size;
  }

  /** Takes `event` if the filter and owner allow it; returns whether it will be sent. */
  offer(event: HubEvent): boolean {
    if (this.#closed) return false;
    const key = this.#keyOf(event);
    if (key === undefined) return false;
    if (event.type === "task") this.#heard.add(event.task.taskId);
    this.#pending.set(key, event);
    this.#schedule();
    return true;
  }

  /**
   * A task's state as read when the stream opened, so a client hears where the task stands
   * without waiting for its next change. Dropped if a change of the task was heard meanwhile.
   */
  seed(task: TaskRecord): void {
    if (this.#heard.has(task.taskId)) return;
    this.offer({ type: "task", task });
  }

  /** Sends the acknowledgement (`filter`: what the server agreed to send), then what arrived meanwhile. */
  start(filter: SubscriptionFilter): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    const { sink, subscriptionId } = this.#options;
    sink.send(streamNotification(ACKNOWLEDGED_METHOD, subscriptionId, { notifications: filter }));
    this.#write();
  }

  /** Stops the stream: nothing more is written, and what waited is dropped. */
  close(): void {
    this.#closed = true;
    this.#pending.clear();
    this.#heard.clear();
  }

  #keyOf(event: HubEvent): string | undefined {
    switch (event.type) {
      case "list-changed":
        return this.#options.filter[LIST_FLAGS[event.method]] === true ? `list:${event.method}` : undefined;
      case "resource-updated": {
        const { uri } = event;
        if (!this.#resources.has(uri) || this.#options.canRead?.(uri) === false) return undefined;
        return `uri:${uri}`;
      }
      case "task": {
        const { task } = event;
        if (!this.#taskIds.has(task.taskId) || task.owner !== this.#options.owner) return undefined;
        return `task:${task.taskId}`;
      }
    }
  }

  #schedule(): void {
    if (this.#scheduled || !this.#started || this.#waitingForDrain) return;
    this.#scheduled = true;
    queueMicrotask(this.#flush);
  }

  #write(): void {
    const { sink } = this.#options;
    for (const [key, event] of this.#pending) {
      if (this.#closed) return;
      if (sink.congested) {
        this.#waitingForDrain = true;
        sink.onDrain(this.#drained);
        return;
      }
      this.#pending.delete(key);
      sink.send(this.#messageOf(event));
    }
  }

  #messageOf(event: HubEvent): JsonRpcMessage {
    const id = this.#options.subscriptionId;
    switch (event.type) {
      case "list-changed":
        return streamNotification(event.method, id);
      case "resource-updated":
        return streamNotification("notifications/resources/updated", id, { uri: event.uri });
      case "task":
        // Only offered when the request declared the extension (the handler checks), so `tasks` is set.
        return streamNotification(
          TASK_NOTIFICATION_METHOD,
          id,
          (this.#options.tasks as TaskExtensionWire).detailed(event.task),
        );
    }
  }
}
