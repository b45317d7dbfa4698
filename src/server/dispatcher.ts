import { CancelledError } from "../errors.js";
import {
  errorResponse,
  isNotification,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  resultResponse,
} from "../protocol/jsonrpc.js";
import {
  InvalidRequestError,
  isProtocolError,
  MethodNotFoundError,
  toJsonRpcError,
} from "../protocol/protocol-error.js";
import { complete } from "./handlers/completion.js";
import { initialize, ping, setLogLevel } from "./handlers/lifecycle.js";
import { getPrompt, listPrompts } from "./handlers/prompts.js";
import {
  listResources,
  listResourceTemplates,
  readResource,
  subscribeResource,
  unsubscribeResource,
} from "./handlers/resources.js";
import { cancelTask, getTask, getTaskResult, listTasks } from "./handlers/tasks.js";
import { callTool, listTools } from "./handlers/tools.js";
import type { RequestHandler } from "./request-handler.js";
import type { ServerCore } from "./server-core.js";
import type { MessageHandler, Session } from "./session.js";

interface Route {
  readonly handler: RequestHandler;
  /** Allowed before `initialize` has succeeded. */
  readonly beforeInit?: boolean;
  /** Exists only on revisions with MCP Tasks. */
  readonly tasks?: boolean;
}

// A Map, not an object literal: method names like "constructor" must not find prototype members.
const ROUTES = new Map<string, Route>([
  ["initialize", { handler: initialize, beforeInit: true }],
  ["ping", { handler: ping, beforeInit: true }],
  ["logging/setLevel", { handler: setLogLevel }],
  ["tools/list", { handler: listTools }],
  ["tools/call", { handler: callTool }],
  ["resources/list", { handler: listResources }],
  ["resources/templates/list", { handler: listResourceTemplates }],
  ["resources/read", { handler: readResource }],
  ["resources/subscribe", { handler: subscribeResource }],
  ["resources/unsubscribe", { handler: unsubscribeResource }],
  ["prompts/list", { handler: listPrompts }],
  ["prompts/get", { handler: getPrompt }],
  ["completion/complete", { handler: complete }],
  ["tasks/get", { handler: getTask, tasks: true }],
  ["tasks/result", { handler: getTaskResult, tasks: true }],
  ["tasks/list", { handler: listTasks, tasks: true }],
  ["tasks/cancel", { handler: cancelTask, tasks: true }],
]);

/**
 * The one message-level entry point: every transport (and every session) funnels parsed
 * messages through here. Requests get exactly one response, or none when the client cancelled
 * them; notifications never get one.
 */
export class Dispatcher implements MessageHandler {
  readonly #core: ServerCore;

  constructor(core: ServerCore) {
    this.#core = core;
  }

  async dispatch(session: Session, message: JsonRpcMessage): Promise<JsonRpcResponse | undefined> {
    // Answers to our requests (sampling, elicitation); unknown ids are dropped.
    if (isResponse(message)) {
      session.settleOutbound(message);
      return undefined;
    }
    if (isNotification(message)) {
      this.#notification(session, message);
      return undefined;
    }
    return this.#request(session, message as JsonRpcRequest);
  }

  async #request(session: Session, request: JsonRpcRequest): Promise<JsonRpcResponse | undefined> {
    const route = ROUTES.get(request.method);
    if (route === undefined) {
      return errorResponse(
        request.id,
        new MethodNotFoundError(`Unknown method "${request.method}".`, "method-not-found", {
          method: request.method,
        }).toJSON(),
      );
    }
    if (session.revision === undefined && route.beforeInit !== true) {
      return errorResponse(
        request.id,
        new InvalidRequestError(
          `"${request.method}" before initialize: send initialize first.`,
          "not-initialized",
        ).toJSON(),
      );
    }
    if (route.tasks === true && session.revision?.tasks !== true) {
      return errorResponse(
        request.id,
        new MethodNotFoundError(
          `"${request.method}" needs MCP Tasks, which protocol ${session.revision?.version} does not have.`,
          "method-not-found",
          { method: request.method },
        ).toJSON(),
      );
    }
    if (session.inflight.has(request.id)) {
      return errorResponse(
        request.id,
        new InvalidRequestError(
          `Request id ${JSON.stringify(request.id)} is already in use by a request in flight.`,
          "duplicate-request-id",
        ).toJSON(),
      );
    }
    const controller = new AbortController();
    session.inflight.set(request.id, controller);
    try {
      const result = await route.handler({
        core: this.#core,
        session,
        request,
        params: request.params ?? {},
        signal: controller.signal,
      });
      // A cancelled request gets no response (MCP cancellation).
      return controller.signal.aborted ? undefined : resultResponse(request.id, result);
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      if (!isProtocolError(error)) console.error(`[fastestmcp] ${request.method} failed:`, error);
      return errorResponse(request.id, toJsonRpcError(error));
    } finally {
      if (session.inflight.get(request.id) === controller) session.inflight.delete(request.id);
    }
  }

  #notification(session: Session, message: JsonRpcNotification): void {
    switch (message.method) {
      case "notifications/initialized":
        session.initialized = true;
        return;
      case "notifications/cancelled": {
        const requestId = message.params?.requestId;
        if (typeof requestId !== "string" && typeof requestId !== "number") return;
        const reason =
          typeof message.params?.reason === "string" ? message.params.reason : "cancelled by the client";
        session.inflight
          .get(requestId)
          ?.abort(new CancelledError(`Request ${requestId} was cancelled: ${reason}`));
        return;
      }
      default:
        // Unknown notifications are ignored, as JSON-RPC expects.
        return;
    }
  }
}
