import { CancelledError } from "../../errors.js";
import {
  errorResponse,
  isRequest,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
  resultResponse,
} from "../../protocol/jsonrpc.js";
import { InternalError, isProtocolError, type ProtocolError } from "../../protocol/protocol-error.js";
import { missingCapabilityError, type RequestEnvelope } from "../../protocol/revisions/2026-07-28.js";
import { inputRequiredResult, readInputRetry } from "../../protocol/revisions/input-required.js";
import type { ProtocolRevision } from "../../protocol/revisions.js";
import { InputRound } from "./input-round.js";
import { bindingOf, type RequestStateSeal, type StateBinding } from "./request-state.js";
import {
  type ClientInfo,
  type IncomingRequest,
  type InflightRequest,
  type MessageChannel,
  type MessageHandler,
  type OutboundOptions,
  Session,
} from "./session.js";

/** The id of every stateless request's session: never shown (`ctx.sessionId` is `undefined`). */
const STATELESS_SESSION_ID = "";

/**
 * Who owns what a stateless request without an authenticated identity creates (its tasks). There
 * is nothing to bind such a task to (no session, no identity), so its id is the key, as the tasks
 * extension allows (SEP-2663, "Security Implications"): every anonymous request has this owner,
 * so any of them holding a task's id (an unguessable random UUID, sent only to its creator)
 * reaches the task, and nothing enumerates them (the revision has no `tasks/list`). No identity
 * and no 2025 session has this owner, so the id opens nothing of theirs, nor they these. All
 * anonymous tasks share this owner's limits. With `auth`, the identity owns (docs/revisions.md).
 */
export const STATELESS_OWNER = "stateless";

/** What a stateless request's context needs from its server to answer `input_required`. */
export interface InputRequiredSupport {
  /** Signs and checks `requestState`. */
  readonly seal: RequestStateSeal;
  /** `serverInfo`, as every result's `_meta` carries it. */
  readonly serverInfo: Readonly<Record<string, unknown>>;
}

/**
 * The session-like context of one stateless (2026-07-28) request: made for the request from its
 * `_meta` envelope and dropped with it. No `initialize`, no id, no limit, not one of the server's
 * sessions; the dispatcher, routes and handlers serve it exactly as they serve a session's
 * request. Its messages (progress, logs) go to the request's own response, and a log goes only
 * when the request asked for a level.
 *
 * It sends no requests to the client: in a request that may answer `input_required` (the
 * revision's `inputRequiredMethods`), the handler's asks (`ctx.elicit()`, `ctx.sample()`,
 * `ctx.listRoots()`) are served by an {@link InputRound}: answered from the retry, or collected
 * into an `input_required` result whose signed `requestState` carries the answers so far.
 */
export class StatelessSession extends Session {
  /** The request named a log level (`_meta`): without one it gets no `notifications/message`. */
  readonly #logs: boolean;
  readonly #input: InputRequiredSupport | undefined;
  /** The request may answer `input_required`: its handler's asks are served by {@link #round}. */
  #mayAsk = false;
  /**
   * The attempt's answers and asks: made up front for a retry, else on the handler's first ask
   * (most calls never ask, and pay for none of it).
   */
  #round: InputRound | undefined;
  /** What binds a retry's `requestState` to its request, once computed. */
  #binding: StateBinding | undefined = undefined;
  /**
   * The request in flight: a stateless session serves one, so it needs no map (a second one, if
   * a caller ever sent one, falls back to the session's).
   */
  #inflightId: JsonRpcId | undefined = undefined;
  #inflightRequest: InflightRequest | undefined = undefined;
  /** Ends the request's stream gracefully (a `subscriptions/listen`), when it has one. */
  #onEnd: (() => void) | undefined = undefined;
  /** Ended before the stream listened: it ends as soon as it does. */
  #ended = false;

  constructor(
    handler: MessageHandler,
    revision: ProtocolRevision,
    envelope: RequestEnvelope,
    channel?: MessageChannel,
    owner?: string,
    input?: InputRequiredSupport,
  ) {
    super(STATELESS_SESSION_ID, handler, channel, owner ?? STATELESS_OWNER);
    this.revision = revision;
    this.initialized = true;
    this.clientCapabilities = envelope.clientCapabilities;
    this.clientInfo = envelope.clientInfo as ClientInfo | undefined;
    this.#logs = envelope.logLevel !== undefined;
    if (envelope.logLevel !== undefined) this.logLevel = envelope.logLevel;
    this.#input = input;
  }

  override handle(message: JsonRpcMessage, incoming?: IncomingRequest): Promise<JsonRpcResponse | undefined> {
    const methods = this.revision?.inputRequiredMethods;
    if (
      this.#input === undefined ||
      methods === undefined ||
      !isRequest(message) ||
      !methods.has(message.method)
    )
      return super.handle(message, incoming);
    const params = message.params;
    if (params?.inputResponses !== undefined || params?.requestState !== undefined)
      return this.#retry(message, this.#input, incoming);
    // A first attempt: the handler runs at once, and only one that asks pays for a round (the
    // dispatcher hands its answer to conclude()).
    this.#mayAsk = true;
    return super.handle(message, incoming);
  }

  /** Serves a retry of a request answered `input_required`: the answers so far, then the handler. */
  async #retry(
    request: JsonRpcRequest,
    input: InputRequiredSupport,
    incoming: IncomingRequest | undefined,
  ): Promise<JsonRpcResponse | undefined> {
    try {
      const { inputResponses, requestState } = readInputRetry(request.params);
      let earlier: Record<string, unknown> | undefined;
      if (requestState !== undefined) {
        this.#binding = await bindingOf(request.method, request.params, this.owner);
        earlier = await input.seal.open(requestState, this.#binding);
      }
      this.#round = new InputRound(inputResponses, earlier);
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      return this.#refuse(request.id, error);
    }
    this.#mayAsk = true;
    return super.handle(request, incoming);
  }

  /**
   * The answer to one attempt (see {@link InputRound}): the handler's, unless it asked for input
   * it has no answer to (then `input_required`, with the signed state of the answers it used) or
   * got an answer that does not fit (then that error).
   */
  override conclude(
    request: JsonRpcRequest,
    response: JsonRpcResponse | undefined,
  ): JsonRpcResponse | undefined | Promise<JsonRpcResponse> {
    const round = this.#round;
    // A cancelled request gets no answer; one that asked nothing is answered as it is.
    if (response === undefined || round === undefined) return response;
    // A wrong answer fails the attempt, whatever the handler did with it.
    if (round.invalid !== undefined) return this.#refuse(request.id, round.invalid);
    if (round.pending.size === 0) return response;
    return this.#inputRequired(request, round, this.#input as InputRequiredSupport, this.#binding);
  }

  async #inputRequired(
    request: JsonRpcRequest,
    round: InputRound,
    input: InputRequiredSupport,
    binding: StateBinding | undefined,
  ): Promise<JsonRpcResponse> {
    const state = await input.seal.seal(
      binding ?? (await bindingOf(request.method, request.params, this.owner)),
      round.used,
    );
    return resultResponse(
      request.id,
      inputRequiredResult(Object.fromEntries(round.pending), state, input.serverInfo),
    );
  }

  #refuse(id: JsonRpcId, error: ProtocolError): JsonRpcResponse {
    const shape = this.revision?.shapeError;
    return errorResponse(id, shape === undefined ? error.toJSON() : shape(error.toJSON()));
  }

  override send(message: JsonRpcMessage, relatedRequestId?: JsonRpcId): void {
    if (!this.#logs && (message as { method?: unknown }).method === "notifications/message") return;
    super.send(message, relatedRequestId);
  }

  /**
   * Stateless revisions send no requests to the client: an ask is answered from the retry, or
   * recorded for the `input_required` result (and fails the handler's await with `input-required`).
   * Outside the requests that may answer `input_required` there is no way to ask.
   */
  override request(
    method: string,
    params: Record<string, unknown>,
    options: OutboundOptions = {},
  ): Promise<Record<string, unknown>> {
    if (!this.#mayAsk) {
      return Promise.reject(
        new InternalError(
          `${method} cannot reach the client here: on protocol ${this.revision?.version} only ${[...(this.revision?.inputRequiredMethods ?? [])].join(", ")} can ask the client for input (with an input_required result).`,
        ),
      );
    }
    this.#round ??= new InputRound(undefined, undefined);
    try {
      return Promise.resolve(this.#round.ask(method, params, options.inputKey));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  override track(id: JsonRpcId, request: InflightRequest): boolean {
    if (this.#inflightRequest !== undefined) return id !== this.#inflightId && super.track(id, request);
    this.#inflightId = id;
    this.#inflightRequest = request;
    return true;
  }

  override untrack(id: JsonRpcId, request: InflightRequest): void {
    if (this.#inflightRequest !== request) {
      super.untrack(id, request);
      return;
    }
    this.#inflightId = undefined;
    this.#inflightRequest = undefined;
  }

  override inflightRequest(id: JsonRpcId): InflightRequest | undefined {
    return id === this.#inflightId ? this.#inflightRequest : super.inflightRequest(id);
  }

  override close(reason = "The session ended."): void {
    if (this.closed) return;
    const request = this.#inflightRequest;
    this.#inflightRequest = undefined;
    this.#inflightId = undefined;
    super.close(reason);
    request?.cancel(new CancelledError(reason));
  }

  /** A stateless session serves one request: at most one long-lived one listens. */
  override onGracefulEnd(callback: () => void): () => void {
    if (this.#ended) {
      callback();
      return () => {};
    }
    this.#onEnd = callback;
    return () => {
      if (this.#onEnd === callback) this.#onEnd = undefined;
    };
  }

  /** The transport ends the request's stream (stdio: the client closed its input); others run on. */
  override endGracefully(): void {
    this.#ended = true;
    const end = this.#onEnd;
    this.#onEnd = undefined;
    end?.();
  }

  override missingCapability(capability: string, what: string): Error {
    return missingCapabilityError(capability, what);
  }
}
