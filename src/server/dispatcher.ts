import type { AbortListenable } from "../context/cancellation.js";
import { LazyAbortController } from "../context/context.js";
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
import { quote } from "../protocol/quote.js";
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
import type { RequestCall, RequestHandler } from "./request-handler.js";
import type { ServerCore } from "./server-core.js";
import type { InflightRequest, MessageHandler, Session } from "./session.js";

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
 * One request being served: what its handler gets, and what `notifications/cancelled` aborts.
 * One object per request, with its AbortController built only if someone asks for the signal or
 * aborts it (most requests finish without either).
 */
class WireCall extends LazyAbortController implements RequestCall, InflightRequest, AbortListenable {
  readonly core: ServerCore;
  readonly session: Session;
  readonly request: JsonRpcRequest;
  readonly params: Record<string, unknown>;

  #abortListener: (() => void) | undefined = undefined;

  constructor(core: ServerCore, session: Session, request: JsonRpcRequest) {
    super();
    this.core = core;
    this.session = session;
    this.request = request;
    this.params = request.params ?? {};
  }

  /** See {@link AbortListenable}: runTool races an async handler against this, no signal built. */
  listenForAbort(listener: (() => void) | undefined): boolean {
    if (listener !== undefined && this.#abortListener !== undefined) return false;
    this.#abortListener = listener;
    return true;
  }

  override abort(reason?: unknown): void {
    const first = !this.aborted;
    super.abort(reason);
    const listener = this.#abortListener;
    this.#abortListener = undefined;
    if (first) listener?.();
  }
}

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

  // Not async itself: a request's promise is handed back as is, without another promise around it.
  dispatch(session: Session, message: JsonRpcMessage): Promise<JsonRpcResponse | undefined> {
    if (isResponse(message) || isNotification(message)) return this.#oneWay(session, message);
    return this.#request(session, message as JsonRpcRequest);
  }

  async #oneWay(session: Session, message: JsonRpcResponse | JsonRpcNotification): Promise<undefined> {
    // Answers to our requests (sampling, elicitation); unknown ids are dropped.
    if (isResponse(message)) session.settleOutbound(message);
    else this.#notification(session, message);
    return undefined;
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
          `Request id ${quote(request.id)} is already in use by a request in flight.`,
          "duplicate-request-id",
        ).toJSON(),
      );
    }
    const call = new WireCall(this.#core, session, request);
    session.inflight.set(request.id, call);
    try {
      const result = await route.handler(call);
      // A cancelled request gets no response (MCP cancellation).
      return call.aborted ? undefined : resultResponse(request.id, result);
    } catch (error) {
      if (call.aborted) return undefined;
      // A ProtocolError is the client's doing and its answer says so; anything else is ours.
      if (!isProtocolError(error))
        this.#core.logger.error("request failed", { method: request.method, error });
      else this.#core.logger.debug?.("request refused", { method: request.method, error });
      return errorResponse(request.id, toJsonRpcError(error));
    } finally {
      if (session.inflight.get(request.id) === call) session.inflight.delete(request.id);
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
