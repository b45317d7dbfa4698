import { notification } from "../protocol/jsonrpc.js";
import type { SessionManager } from "./session/session-manager.js";

/** The list-changed notifications the server sends when its resources or prompts change. */
export type ListChangedMethod =
  | "notifications/tools/list_changed"
  | "notifications/resources/list_changed"
  | "notifications/prompts/list_changed";

/**
 * Tells every initialized session that a list changed. Changes made in one synchronous stretch
 * (registering ten resources in a loop) are sent as one notification per list, on the next microtask.
 */
export class ListChangedNotifier {
  readonly #sessions: SessionManager;
  readonly #pending = new Set<ListChangedMethod>();

  constructor(sessions: SessionManager) {
    this.#sessions = sessions;
  }

  notify(method: ListChangedMethod): void {
    if (this.#sessions.size === 0) return;
    if (this.#pending.size === 0) queueMicrotask(() => this.#flush());
    this.#pending.add(method);
  }

  #flush(): void {
    const methods = [...this.#pending];
    this.#pending.clear();
    for (const session of this.#sessions.values()) {
      if (!session.initialized) continue;
      for (const method of methods) session.send(notification(method));
    }
  }
}

/** Sends `notifications/resources/updated` to every session subscribed to `uri`; returns how many. */
export function sendResourceUpdated(sessions: SessionManager, uri: string): number {
  let sent = 0;
  for (const session of sessions.values()) {
    if (!session.resourceSubscriptions.has(uri)) continue;
    session.send(notification("notifications/resources/updated", { uri }));
    sent++;
  }
  return sent;
}
