import { notification } from "../protocol/jsonrpc.js";
import type { SessionManager } from "./session/session-manager.js";
import type { ListChangedMethod, SubscriptionHub } from "./subscriptions/subscription-hub.js";

/**
 * Tells clients that a list changed: every initialized 2025 session (on its GET stream), and the
 * `subscriptions/listen` streams that asked (through the hub). Changes made in one synchronous
 * stretch (registering ten resources in a loop) are sent as one notification per list, on the
 * next microtask.
 */
export class ListChangedNotifier {
  readonly #sessions: SessionManager;
  readonly #hub: SubscriptionHub;
  readonly #pending = new Set<ListChangedMethod>();

  constructor(sessions: SessionManager, hub: SubscriptionHub) {
    this.#sessions = sessions;
    this.#hub = hub;
  }

  notify(method: ListChangedMethod): void {
    if (this.#pending.size === 0) queueMicrotask(() => this.#flush());
    this.#pending.add(method);
  }

  #flush(): void {
    const methods = [...this.#pending];
    this.#pending.clear();
    for (const method of methods) this.#hub.publish({ type: "list-changed", method });
    if (this.#sessions.size === 0) return;
    for (const session of this.#sessions.values()) {
      if (!session.initialized) continue;
      for (const method of methods) session.send(notification(method));
    }
  }
}

/**
 * Sends `notifications/resources/updated` to every 2025 session subscribed to `uri` and to every
 * `subscriptions/listen` stream that names it; returns how many were told (on this instance).
 * With shared sessions, every instance's sessions subscribed to `uri` are told (once each).
 */
export function sendResourceUpdated(sessions: SessionManager, hub: SubscriptionHub, uri: string): number {
  let sent = hub.publish({ type: "resource-updated", uri });
  const message = notification("notifications/resources/updated", { uri });
  for (const session of sessions.values()) {
    if (!session.isSubscribedTo(uri)) continue;
    sent++;
    // A shared session hears it below, once, wherever its stream is (counted if held here).
    if (session.mirror === undefined) session.send(message);
  }
  sessions.shared?.notify({ resource: uri }, JSON.stringify(message));
  return sent;
}
