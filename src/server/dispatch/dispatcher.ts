import { CancelledError } from "../../errors.js";
import {
  errorResponse,
  isNotification,
  isResponse,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  resultResponse,
  SerializedResult,
} from "../../protocol/jsonrpc.js";
import {
  InvalidRequestError,
  isProtocolError,
  type JsonRpcErrorObject,
  MethodNotFoundError,
  type ProtocolError,
  toJsonRpcError,
} from "../../protocol/protocol-error.js";
import { quote } from "../../protocol/quote.js";
import { unsupportedVersionError } from "../../protocol/revisions/2026-07-28.js";
import type { ProtocolRevision } from "../../protocol/revisions.js";
import type { ServerState } from "../server-state.js";
import type { IncomingRequest, MessageHandler, Session } from "../session/session.js";
import type { RequestHandler } from "./request-handler.js";
import { RequestScope } from "./request-scope.js";

const INITIALIZED = Object.freeze({ field: "initialized" as const });

/** How a JSON-RPC method is served: its handler and when a session may call it. */
export interface Route {
  readonly handler: RequestHandler;
  /** Allowed before `initialize` has succeeded. */
  readonly beforeInit?: boolean;
  /** Exists only on revisions with tasks: MCP Tasks (2025-11-25) or the tasks extension. */
  readonly tasks?: boolean;
}

/** Method name → route. A Map: names like "constructor" must not find prototype members. */
export type Routes = ReadonlyMap<string, Route>;

/**
 * The one dispatch: every transport's sessions and the in-process API funnel requests through
 * here, to the same routes, checks and handlers. {@link dispatch} is the wire's entry (messages
 * in, JSON-RPC responses out: one per request, or none when the client cancelled it;
 * notifications never get one). {@link serve} is the in-process API's: the same request as a
 * {@link RequestScope}, its result or error handed back as they are, no envelope.
 */
export class Dispatcher implements MessageHandler {
  readonly #core: ServerState;
  readonly #routes: Routes;

  constructor(core: ServerState, routes: Routes) {
    this.#core = core;
    this.#routes = routes;
  }

  // Not async itself: a request's promise is handed back as is, without another promise around it.
  dispatch(
    session: Session,
    message: JsonRpcMessage,
    incoming?: IncomingRequest,
  ): Promise<JsonRpcResponse | undefined> {
    if (isResponse(message) || isNotification(message)) return this.#oneWay(session, message);
    return this.#request(session, message as JsonRpcRequest, incoming);
  }

  /**
   * Serves an in-process request: returns its result (a promise of it, unless the handler answered
   * synchronously), or throws the error its handler threw: the original object, not its JSON-RPC
   * form. Nothing is logged: the caller has the error. Not registered as in flight: nothing but
   * its own `local.signal` can cancel it.
   */
  serve(scope: RequestScope): Promise<Record<string, unknown>> | Record<string, unknown> {
    const { session, request } = scope;
    const route = this.#routes.get(request.method);
    const refusal = refuse(this.#core, session, request, route);
    if (refusal !== undefined) throw refusal;
    return (route as Route).handler(scope);
  }

  async #oneWay(session: Session, message: JsonRpcResponse | JsonRpcNotification): Promise<undefined> {
    // Answers to our requests (sampling, elicitation); unknown ids are dropped.
    if (isResponse(message)) session.receiveResponse(message);
    else await this.#notification(session, message);
    return undefined;
  }

  async #request(
    session: Session,
    request: JsonRpcRequest,
    incoming: IncomingRequest | undefined,
  ): Promise<JsonRpcResponse | undefined> {
    const route = this.#routes.get(request.method);
    const refusal = refuse(this.#core, session, request, route);
    if (refusal !== undefined) return this.#error(session, request.id, refusal.toJSON());
    const scope = new RequestScope(this.#core, session, request, undefined, incoming);
    if (!session.track(request.id, scope)) {
      return errorResponse(
        request.id,
        new InvalidRequestError(
          `Request id ${quote(request.id)} is already in use by a request in flight.`,
          "duplicate-request-id",
        ).toJSON(),
      );
    }
    // Closed while the request was on its way (a stateless client gone while its retry's state
    // was checked): it is cancelled before its handler starts, as close() cancels those in flight.
    if (session.closed) scope.cancel(new CancelledError("The session ended."));
    // A cancelled request gets no response (MCP cancellation).
    let response: JsonRpcResponse | undefined;
    try {
      const result = await (route as Route).handler(scope);
      if (!scope.cancelled) response = this.#result(session.revision, request, result);
    } catch (error) {
      if (!scope.cancelled) {
        // A ProtocolError is the client's doing and its answer says so; anything else is ours.
        if (!isProtocolError(error))
          this.#core.logger.error("request failed", { method: request.method, error });
        else this.#core.logger.debug?.("request refused", { method: request.method, error });
        response = this.#error(session, request.id, toJsonRpcError(error));
      }
    } finally {
      session.untrack(request.id, scope);
    }
    return session.conclude(request, response);
  }

  /** A result response, dressed as the request's revision dresses results. */
  #result(
    revision: ProtocolRevision | undefined,
    request: JsonRpcRequest,
    result: Record<string, unknown>,
  ): JsonRpcResponse {
    const shape = revision?.shapeResult;
    if (shape === undefined) return resultResponse(request.id, result);
    const { serverInfo } = this.#core;
    const shaped = shape(request.method, result, serverInfo);
    const suffix = revision?.resultSuffix?.(request.method, result, serverInfo);
    return suffix === undefined
      ? resultResponse(request.id, shaped)
      : new SerializedResult(request.id, shaped, result, suffix);
  }

  /** An error response, numbered as the request's revision numbers it. */
  #error(session: Session, id: JsonRpcId, error: JsonRpcErrorObject): JsonRpcResponse {
    const shape = session.revision?.shapeError;
    return errorResponse(id, shape === undefined ? error : shape(error));
  }

  /** Returns a promise only when a shared session writes the change through (answered once written). */
  #notification(session: Session, message: JsonRpcNotification): Promise<void> | undefined {
    switch (message.method) {
      case "notifications/initialized":
        return session.change(INITIALIZED);
      case "notifications/cancelled": {
        const requestId = message.params?.requestId;
        if (typeof requestId !== "string" && typeof requestId !== "number") return;
        const reason =
          typeof message.params?.reason === "string" ? message.params.reason : "cancelled by the client";
        session.cancelRequest(requestId, reason);
        return;
      }
      default:
        // Unknown notifications are ignored, as JSON-RPC expects.
        return;
    }
  }
}

/**
 * Why `session` may not send `request` now, if it may not: a stateless revision the server does
 * not serve, an unknown method, a method before `initialize`, or a method its revision does not
 * have (revision rules are asked of the session's profile, here and in the handlers, never of a
 * date).
 */
function refuse(
  core: ServerState,
  session: Session,
  request: JsonRpcRequest,
  route: Route | undefined,
): ProtocolError | undefined {
  const revision = session.revision;
  if (revision?.stateless === true) {
    // The transport checked that the version exists; the server's protocolVersions may leave it out.
    if (!core.revisions.stateless.includes(revision)) {
      return unsupportedVersionError(
        revision.version,
        core.revisions.stateless.map((served) => served.version),
      );
    }
    // A stateless revision answers an unknown method with HTTP 404 too: a reason of its own.
    if (route === undefined || !revision.methods.has(request.method)) {
      return new MethodNotFoundError(
        `Unknown method "${request.method}" on protocol ${revision.version}.`,
        "unknown-method",
        { method: request.method },
      );
    }
  }
  if (route === undefined || (revision !== undefined && !revision.methods.has(request.method))) {
    return new MethodNotFoundError(`Unknown method "${request.method}".`, "method-not-found", {
      method: request.method,
    });
  }
  if (session.revision === undefined && route.beforeInit !== true) {
    return new InvalidRequestError(
      `"${request.method}" before initialize: send initialize first.`,
      "not-initialized",
    );
  }
  if (route.tasks === true && revision?.tasks !== true && revision?.taskExtension === undefined) {
    return new MethodNotFoundError(
      `"${request.method}" needs MCP Tasks, which protocol ${session.revision?.version} does not have.`,
      "method-not-found",
      { method: request.method },
    );
  }
  return undefined;
}
