import {
  listenEndedResult,
  readSubscriptionFilter,
  type SubscriptionFilter,
} from "../../protocol/revisions/subscriptions.js";
import { missingTasksError, type TaskExtensionWire } from "../../protocol/revisions/tasks-extension.js";
import { TaskNotFoundError } from "../../tasks/task-errors.js";
import type { TaskRecord } from "../../tasks/task-record.js";
import type { RequestScope } from "../dispatch/request-scope.js";
import { ListenStream, type StreamSink } from "./listen-stream.js";

/**
 * `subscriptions/listen` (2026-07-28): a long-lived request whose answer is a stream. It opens with
 * `notifications/subscriptions/acknowledged` (the filter the server agreed to), then carries what
 * the filter names, from the server's {@link SubscriptionHub}: list changes, `resources/updated`
 * for the named URIs the caller may read (`resources/read` would find them for its identity),
 * `notifications/tasks` for the named tasks of the request's owner. It ends
 * when the client closes the stream (HTTP) or cancels the request (stdio); when the server closes,
 * it answers with the empty result that ends the stream gracefully.
 * @throws {InvalidParamsError} `listen-filter-invalid` (-32602) for a malformed filter.
 * @throws {ProtocolError} `missing-client-capability` (-32021) for `taskIds` from a request that
 * did not declare the tasks extension.
 */
export async function listen(scope: RequestScope): Promise<Record<string, unknown>> {
  const requested = readSubscriptionFilter(scope.params);
  const wire = tasksWire(scope, requested);
  const { session, request, core } = scope;
  // A resource the caller may not read is one it hears nothing about: left out of the stream
  // now (and of the acknowledgement, alike with an unknown URI), and checked again for every
  // update (its registration may change while the stream is open).
  const { auth } = scope;
  const canRead = (uri: string): boolean => core.resources.resolve(uri, auth) !== undefined;
  const uris = requested.resourceSubscriptions?.filter(canRead);
  const filter: SubscriptionFilter =
    uris === undefined ? requested : { ...requested, resourceSubscriptions: uris };
  const sink: StreamSink = {
    send: (message) => session.send(message, request.id),
    get congested() {
      return session.congested;
    },
    onDrain: (callback) => session.onDrain(callback),
  };
  const hub = core.subscriptions;
  // It hears changes from now on (so none is lost while the named tasks are looked up), and
  // writes them after the acknowledgement. Ids it may not report never match: another owner's
  // task is filtered by owner, and an unknown id names no task.
  const stream = new ListenStream({
    subscriptionId: request.id,
    filter,
    owner: scope.owner,
    tasks: wire,
    canRead,
    sink,
  });
  const unsubscribe = hub.subscribe((event) => stream.offer(event));
  let stopClose: (() => void) | undefined;
  let stopEnd: (() => void) | undefined;
  try {
    const seeds = await visibleTasks(scope, requested.taskIds);
    stream.start(acknowledged(filter, seeds));
    for (const task of seeds) stream.seed(task);
    await new Promise<void>((resolve) => {
      if (scope.aborted) return resolve();
      scope.onAbort(resolve);
      stopClose = hub.onClose(resolve);
      // The transport ends the stream (stdio: the client closed its input).
      stopEnd = session.onGracefulEnd(resolve);
    });
  } finally {
    unsubscribe();
    stopClose?.();
    stopEnd?.();
    stream.close();
  }
  return listenEndedResult(request.id);
}

/** The tasks extension's wire when the filter names tasks; -32021 unless the request declared it. */
function tasksWire(scope: RequestScope, filter: SubscriptionFilter): TaskExtensionWire | undefined {
  const wire = scope.revision?.taskExtension;
  if (filter.taskIds === undefined) return wire;
  if (wire === undefined || !wire.declaredBy(scope.session.clientCapabilities))
    throw (wire?.missing ?? missingTasksError)("subscriptions/listen with notifications.taskIds");
  return wire;
}

/**
 * The named tasks the request's owner may see, as stored now. An unknown, expired or another
 * owner's task is left out alike: the acknowledgement says nothing about tasks it will not report.
 */
async function visibleTasks(scope: RequestScope, taskIds: string[] | undefined): Promise<TaskRecord[]> {
  if (taskIds === undefined || taskIds.length === 0) return [];
  const runtime = scope.core.taskRuntime();
  const found = await Promise.all(
    taskIds.map((taskId) =>
      runtime.get(scope.owner, taskId).catch((error: unknown) => {
        if (error instanceof TaskNotFoundError) return undefined;
        throw error;
      }),
    ),
  );
  return found.filter((task): task is TaskRecord => task !== undefined);
}

/**
 * The acknowledgement's filter: the kinds asked for that this server sends, the readable URIs,
 * and the visible tasks.
 */
function acknowledged(requested: SubscriptionFilter, tasks: readonly TaskRecord[]): SubscriptionFilter {
  const filter: SubscriptionFilter = {};
  if (requested.toolsListChanged === true) filter.toolsListChanged = true;
  if (requested.promptsListChanged === true) filter.promptsListChanged = true;
  if (requested.resourcesListChanged === true) filter.resourcesListChanged = true;
  if (requested.resourceSubscriptions !== undefined)
    filter.resourceSubscriptions = [...requested.resourceSubscriptions];
  if (requested.taskIds !== undefined) filter.taskIds = tasks.map((task) => task.taskId);
  return filter;
}
