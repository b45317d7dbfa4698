/**
 * `subscriptions/listen` (MCP 2026-07-28, SEP-2575) on the wire: the filter a client sends, the
 * acknowledgement that opens the stream, and the `_meta` stamp every message of the stream carries.
 * It replaces 2025's standalone GET stream and `resources/subscribe`: a client opts in to each kind
 * of notification, and gets nothing it did not ask for. The tasks extension (SEP-2663) adds
 * `taskIds`, for `notifications/tasks`.
 */

import { isObject } from "../is-object.js";
import type { JsonRpcId, JsonRpcNotification } from "../jsonrpc.js";
import { InvalidParamsError } from "../protocol-error.js";

/** The `_meta` key naming the listen request (its JSON-RPC id) on every message of its stream. */
export const SUBSCRIPTION_ID_META_KEY = "io.modelcontextprotocol/subscriptionId";

/** The first message of every listen stream. */
export const ACKNOWLEDGED_METHOD = "notifications/subscriptions/acknowledged";

/** The notification of the tasks extension: a task's full state (`DetailedTask`) after a change. */
export const TASK_NOTIFICATION_METHOD = "notifications/tasks";

/**
 * The most URIs or task ids one filter may name: what a stream keeps per name (the latest change
 * waiting for a slow client) stays bounded by it.
 */
export const MAX_FILTER_NAMES = 1000;

/** What a client opts in to on one listen stream (`params.notifications`). Absent: not wanted. */
export interface SubscriptionFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  /** URIs whose `notifications/resources/updated` the client wants. */
  resourceSubscriptions?: string[];
  /** Task ids whose `notifications/tasks` the client wants (the tasks extension). */
  taskIds?: string[];
}

const FLAGS = ["toolsListChanged", "promptsListChanged", "resourcesListChanged"] as const;
const LISTS = ["resourceSubscriptions", "taskIds"] as const;

/**
 * Reads `params.notifications` of a `subscriptions/listen` request. Unknown members are ignored
 * (a later revision or extension may add kinds this server does not send).
 * @throws {InvalidParamsError} reason `listen-filter-invalid` (-32602) when it is missing, not an
 * object, a flag is not a boolean, or a list is not an array of at most {@link MAX_FILTER_NAMES} strings.
 */
export function readSubscriptionFilter(params: Record<string, unknown> | undefined): SubscriptionFilter {
  const raw = params?.notifications;
  if (!isObject(raw)) {
    throw invalidFilter('subscriptions/listen needs "notifications": an object naming what to send.');
  }
  const filter: SubscriptionFilter = {};
  for (const flag of FLAGS) {
    const value = raw[flag];
    if (value === undefined) continue;
    if (typeof value !== "boolean") throw invalidFilter(`notifications.${flag} must be a boolean.`);
    filter[flag] = value;
  }
  for (const list of LISTS) {
    const value = raw[list];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      throw invalidFilter(`notifications.${list} must be an array of strings.`);
    }
    if (value.length > MAX_FILTER_NAMES) {
      throw invalidFilter(
        `notifications.${list} names ${value.length} entries; at most ${MAX_FILTER_NAMES} per stream.`,
      );
    }
    filter[list] = [...new Set(value as string[])];
  }
  return filter;
}

function invalidFilter(message: string): InvalidParamsError {
  return new InvalidParamsError(message, "listen-filter-invalid");
}

/** A notification of the stream `subscriptionId`, stamped with it in `params._meta`. */
export function streamNotification(
  method: string,
  subscriptionId: JsonRpcId,
  params: Record<string, unknown> = {},
): JsonRpcNotification {
  const meta = isObject(params._meta) ? params._meta : {};
  return {
    jsonrpc: "2.0",
    method,
    params: { ...params, _meta: { ...meta, [SUBSCRIPTION_ID_META_KEY]: subscriptionId } },
  };
}

/** The listen request's answer when the server ends the stream itself (it is closing). */
export function listenEndedResult(subscriptionId: JsonRpcId): Record<string, unknown> {
  return { _meta: { [SUBSCRIPTION_ID_META_KEY]: subscriptionId } };
}
