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
  type MessageChannel,
  type MessageHandler,
  type OutboundOptions,
  Session,
} from "./session.js";

/** The id of every stateless request's session: never shown (`ctx.sessionId` is `undefined`). */
const STATELESS_SESSION_ID = "";

/**
 * Who owns what a stateless request without an authenticated identity creates (tasks, once the
 * tasks extension lands). The stateless revisions have no session to own anything, so without
 * `auth` there is no owner continuity between requests: every anonymous request shares this
 * owner, and an unguessable id (a task id) is what reaches a thing. With `auth`, the identity owns.
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
  /** The attempt being served, when the request may answer `input_required`. */
  #round: InputRound | undefined;

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
    return this.#attempt(message, this.#input, incoming);
  }

  /** Serves one attempt of a request that may answer `input_required` (see {@link InputRound}). */
  async #attempt(
    request: JsonRpcRequest,
    input: InputRequiredSupport,
    incoming: IncomingRequest | undefined,
  ): Promise<JsonRpcResponse | undefined> {
    let binding: StateBinding | undefined;
    let round: InputRound;
    try {
      const { inputResponses, requestState } = readInputRetry(request.params);
      let earlier: Record<string, unknown> | undefined;
      if (requestState !== undefined) {
        binding = await bindingOf(request.method, request.params, this.owner);
        earlier = await input.seal.open(requestState, binding);
      }
      round = new InputRound(inputResponses, earlier);
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      return this.#refuse(request.id, error);
    }
    this.#round = round;
    const response = await super.handle(request, incoming);
    // A cancelled request gets no answer; a wrong answer fails the attempt, whatever the handler did with it.
    if (response === undefined) return undefined;
    if (round.invalid !== undefined) return this.#refuse(request.id, round.invalid);
    if (round.pending.size === 0) return response;
    binding ??= await bindingOf(request.method, request.params, this.owner);
    const state = await input.seal.seal(binding, round.used);
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
    const round = this.#round;
    if (round === undefined) {
      return Promise.reject(
        new InternalError(
          `${method} cannot reach the client here: on protocol ${this.revision?.version} only ${[...(this.revision?.inputRequiredMethods ?? [])].join(", ")} can ask the client for input (with an input_required result).`,
        ),
      );
    }
    try {
      return Promise.resolve(round.ask(method, params, options.inputKey));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  override missingCapability(capability: string, what: string): Error {
    return missingCapabilityError(capability, what);
  }
}
