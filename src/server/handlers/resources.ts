import { ResourceNotFoundError } from "../../protocol/component-errors.js";
import { type RequestCall, type RequestHandler, stringParam } from "../request-handler.js";
import { readResource as read } from "../resource-reader.js";
import { wireHandlerCall } from "./wire-call.js";

/** `resources/list`: every fixed resource at once (the list is cached until the set changes). */
export const listResources: RequestHandler = ({ core }) => ({ resources: core.resources.listResources() });

/** `resources/templates/list`: every resource template at once. */
export const listResourceTemplates: RequestHandler = ({ core }) => ({
  resourceTemplates: core.resources.listTemplates(),
});

/** `resources/read`: the fixed resource of that URI, else the first template matching it; -32002 when none. */
export const readResource: RequestHandler = async (call: RequestCall) => {
  const uri = stringParam(call, "uri");
  const result = await read(call.core.resources, uri, wireHandlerCall(call));
  return result as unknown as Record<string, unknown>;
};

/**
 * `resources/subscribe`: the session gets `notifications/resources/updated` for this URI until it
 * unsubscribes. The URI must be one the server serves (a fixed resource or a template match).
 */
export const subscribeResource: RequestHandler = (call: RequestCall) => {
  const uri = stringParam(call, "uri");
  if (call.core.resources.resolve(uri) === undefined) throw new ResourceNotFoundError(uri);
  call.session.resourceSubscriptions.add(uri);
  return {};
};

/** `resources/unsubscribe`: stops updates for this URI (a URI the session never subscribed to is fine). */
export const unsubscribeResource: RequestHandler = (call: RequestCall) => {
  call.session.resourceSubscriptions.delete(stringParam(call, "uri"));
  return {};
};
