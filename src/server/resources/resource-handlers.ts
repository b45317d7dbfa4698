import { ResourceNotFoundError } from "../../protocol/component-errors.js";
import { withCacheHints } from "../cache-hints.js";
import { noCursor, progressTokenOf, type RequestHandler, stringParam } from "../dispatch/request-handler.js";
import { readResource as read } from "./resource-reader.js";

/** `resources/list`: every fixed resource the caller may read, at once. */
export const listResources: RequestHandler = (scope) => {
  noCursor(scope);
  const { resources, cacheDefaults } = scope.core;
  const hints = resources.resourceCacheHints(scope.auth, cacheDefaults);
  return withCacheHints({ resources: resources.visibleResources(scope.auth) }, hints);
};

/** `resources/templates/list`: every resource template the caller may use, at once. */
export const listResourceTemplates: RequestHandler = (scope) => {
  noCursor(scope);
  const { resources, cacheDefaults } = scope.core;
  const hints = resources.templateCacheHints(scope.auth, cacheDefaults);
  return withCacheHints({ resourceTemplates: resources.visibleTemplates(scope.auth) }, hints);
};

/** `resources/read`: the fixed resource of that URI, else the first template matching it; -32002 when none. */
export const readResource: RequestHandler = async (scope) => {
  const uri = stringParam(scope, "uri");
  scope.progressToken = progressTokenOf(scope);
  const result = await read(scope.core.resources, uri, scope);
  return result as unknown as Record<string, unknown>;
};

/**
 * `resources/subscribe`: the session gets `notifications/resources/updated` for this URI until it
 * unsubscribes. The URI must be one the server serves (a fixed resource or a template match).
 */
export const subscribeResource: RequestHandler = (scope) => {
  const uri = stringParam(scope, "uri");
  if (scope.core.resources.resolve(uri, scope.auth) === undefined) throw new ResourceNotFoundError(uri);
  const written = scope.session.change({ field: "subscribe", uri });
  return written === undefined ? {} : written.then(() => ({}));
};

/** `resources/unsubscribe`: stops updates for this URI (a URI the session never subscribed to is fine). */
export const unsubscribeResource: RequestHandler = (scope) => {
  const written = scope.session.change({ field: "unsubscribe", uri: stringParam(scope, "uri") });
  return written === undefined ? {} : written.then(() => ({}));
};
