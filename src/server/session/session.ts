import { CancelledError } from "../../errors.js";
import type { AuthInfo } from "../../protocol/auth-info.js";
import {
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
  notification,
} from "../../protocol/jsonrpc.js";
import type { LogLevel } from "../../protocol/mcp-types.js";
import { ProtocolError } from "../../protocol/protocol-error.js";
import type { RequestInfo } from "../../protocol/request-info.js";
import type { ProtocolRevision } from "../../protocol/revisions.js";
import type { SessionChange } from "./session-directory.js";

const noop = (): void => {};

/** Where a session's server→client messages go; implemented by each transport. */
export interface MessageChannel {
  /**
   * Sends one message. `relatedRequestId` names the client request it belongs to (progress and
   * logs of a call): the transport uses that request's stream while it is open.
   */
  send(message: JsonRpcMessage, relatedRequestId?: JsonRpcId): void;
  /** True while the client is not reading what was sent (a channel without backpressure: never). */
  readonly congested?: boolean;
  /** Runs `callback` once when a congested channel can take more. */
  onDrain?(callback: () => void): void;
}

/**
 * The HTTP request a message arrived in, as the transport hands it over (the exchange itself, not
 * a copy): handlers see it as `ctx.request` and `ctx.auth`. Stdio has none.
 */
export interface IncomingRequest extends RequestInfo {
  /** The identity the transport verified for this request, when the server has `auth`. */
  readonly auth?: AuthInfo | undefined;
}

/** Routes a session's incoming messages; implemented by the server's dispatcher. */
export interface MessageHandler {
  dispatch(
    session: Session,
    message: JsonRpcMessage,
    incoming?: IncomingRequest,
  ): Promise<JsonRpcResponse | undefined>;
}

/**
 * A request being served, as `notifications/cancelled` and the session's end see it (the
 * dispatcher's request scope). A cancelled request gets no response.
 */
export interface InflightRequest {
  cancel(reason: unknown): void;
}

/** How a handler's request to the client is sent. */
export interface OutboundOptions {
  /** The client request it belongs to: the transport sends it on that request's stream. */
  relatedRequestId?: JsonRpcId | undefined;
  /** Aborting it withdraws the request. */
  signal?: AbortSignal | undefined;
  /** Its key in an `input_required` result (stateless revisions); a session's request has none. */
  inputKey?: string | undefined;
}

/**
 * How a session shared between instances (a backend's `sessions`) reaches the others: its state
 * changes are written through, and a client message meant for a request another instance serves
 * (an answer to its elicitation, a cancellation) is passed on. Unshared sessions have none.
 */
export interface SessionMirror {
  /** Writes `change` through; resolves once every instance can see it. */
  changed(session: Session, change: SessionChange): Promise<void>;
  /** The client answered a request this instance did not send. */
  forwardResponse(session: Session, response: JsonRpcResponse): void;
  /** The client cancelled a request this instance is not serving. */
  forwardCancel(session: Session, requestId: JsonRpcId, reason: string): void;
}

/** The client's self-description from `initialize`. */
export interface ClientInfo {
  name: string;
  version: string;
  title?: string;
  [key: string]: unknown;
}

/**
 * One client connection's state: negotiated revision, client capabilities, log level, requests in
 * flight. Small on purpose: one server serves all sessions, and an idle session costs little.
 */
export class Session {
  readonly id: string;
  /**
   * Who owns this session's tasks: the session id, or with `auth` on the identity that opened it
   * (its issuer, subject and client id), which also binds the session to that identity.
   */
  readonly owner: string;
  revision: ProtocolRevision | undefined = undefined;
  clientInfo: ClientInfo | undefined = undefined;
  clientCapabilities: Record<string, unknown> | undefined = undefined;
  /** Set by `notifications/initialized`. */
  initialized = false;
  /** Lowest level sent as `notifications/message` (`logging/setLevel`). */
  logLevel: LogLevel = "debug";
  // The collections below are made on first use: most sessions never need some of them, and a
  // stateless (2026-07-28) request makes a session of its own every time.
  /** Requests being served, by id: `notifications/cancelled` aborts them. */
  #inflight: Map<JsonRpcId, InflightRequest> | undefined = undefined;
  #resourceSubscriptions: Set<string> | undefined = undefined;
  #taskResultWaiters: Map<string, JsonRpcId> | undefined = undefined;
  /** Requests this server sent to the client, waiting for answers. */
  #outbound:
    | Map<JsonRpcId, { resolve(result: Record<string, unknown>): void; reject(error: unknown): void }>
    | undefined = undefined;
  #nextOutboundId = 0;
  /** What this instance's requests to the client are numbered after (unique between instances when shared). */
  outboundPrefix = "s";
  /** Set while the session is shared between instances (see {@link SessionMirror}). */
  mirror: SessionMirror | undefined = undefined;
  #closed = false;
  readonly #handler: MessageHandler;
  #channel: MessageChannel | undefined;

  constructor(id: string, handler: MessageHandler, channel?: MessageChannel, owner?: string) {
    this.id = id;
    this.owner = owner ?? id;
    this.#handler = handler;
    this.#channel = channel;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Requests being served, by id (see {@link track}). */
  get inflight(): Map<JsonRpcId, InflightRequest> {
    this.#inflight ??= new Map();
    return this.#inflight;
  }

  /**
   * Registers a request being served, so `notifications/cancelled` and the session's end reach
   * it; false (nothing registered) when a request in flight has that id already.
   */
  track(id: JsonRpcId, request: InflightRequest): boolean {
    const inflight = this.inflight;
    if (inflight.has(id)) return false;
    inflight.set(id, request);
    return true;
  }

  /** Forgets a request that was answered (`request`: the one registered under `id`, if still it). */
  untrack(id: JsonRpcId, request: InflightRequest): void {
    const inflight = this.#inflight;
    if (inflight?.get(id) === request) inflight.delete(id);
  }

  /** How many requests are in flight (reads nothing into being: the map is made on first use). */
  get inflightCount(): number {
    return this.#inflight?.size ?? 0;
  }

  /** The request in flight under `id`, if any. */
  inflightRequest(id: JsonRpcId): InflightRequest | undefined {
    return this.#inflight?.get(id);
  }

  /**
   * The response to send for `request`, from the one the dispatcher made (`undefined`: none, the
   * request was cancelled): the same here. A stateless session may answer otherwise (`input_required`).
   */
  conclude(
    _request: JsonRpcRequest,
    response: JsonRpcResponse | undefined,
  ): JsonRpcResponse | undefined | Promise<JsonRpcResponse | undefined> {
    return response;
  }

  /** Resource URIs this session subscribed to (`resources/subscribe`). */
  get resourceSubscriptions(): Set<string> {
    this.#resourceSubscriptions ??= new Set();
    return this.#resourceSubscriptions;
  }

  /** Whether this session subscribed to `uri` (without making the set of a session that never did). */
  isSubscribedTo(uri: string): boolean {
    return this.#resourceSubscriptions?.has(uri) === true;
  }

  /** `tasks/result` requests waiting, by task id: the task's requests to the client ride their streams. */
  get taskResultWaiters(): Map<string, JsonRpcId> {
    this.#taskResultWaiters ??= new Map();
    return this.#taskResultWaiters;
  }

  /** Connects (or replaces) the channel server→client messages go to. */
  attach(channel: MessageChannel): void {
    this.#channel = channel;
  }

  /**
   * Handles one incoming message; resolves with the response to send, if any. `incoming` is the
   * HTTP request it arrived in (its headers and verified identity), when there is one.
   */
  handle(message: JsonRpcMessage, incoming?: IncomingRequest): Promise<JsonRpcResponse | undefined> {
    return this.#handler.dispatch(this, message, incoming);
  }

  /** Sends a server→client message (dropped once the session is closed). */
  send(message: JsonRpcMessage, relatedRequestId?: JsonRpcId): void {
    if (!this.#closed) this.#channel?.send(message, relatedRequestId);
  }

  /**
   * Whether the client is not reading what was sent (a long-lived stream then holds back what it
   * can coalesce: `subscriptions/listen`); false for a channel without backpressure.
   */
  get congested(): boolean {
    return this.#channel?.congested === true;
  }

  /** Runs `callback` once the channel can take more (at once when it has no backpressure). */
  onDrain(callback: () => void): void {
    const channel = this.#channel;
    if (channel?.onDrain === undefined) callback();
    else channel.onDrain(callback);
  }

  /**
   * Sends a request to the client (sampling, elicitation, roots) and resolves with its result;
   * rejects with the client's error as a `ProtocolError`. Aborting `signal` tells the client to stop.
   */
  request(
    method: string,
    params: Record<string, unknown>,
    options: OutboundOptions = {},
  ): Promise<Record<string, unknown>> {
    if (this.#closed) return Promise.reject(new CancelledError("The session ended."));
    const id = `${this.outboundPrefix}${++this.#nextOutboundId}`;
    const { relatedRequestId, signal } = options;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        if (this.#outbound?.delete(id) !== true) return;
        this.send(
          notification("notifications/cancelled", {
            requestId: id,
            reason: "The server no longer needs the answer.",
          }),
          relatedRequestId,
        );
        reject(signal?.reason ?? new CancelledError(`${method} was cancelled.`));
      };
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#outbound ??= new Map();
      this.#outbound.set(id, {
        resolve: (result) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(result);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      });
      this.send({ jsonrpc: "2.0", id, method, params }, relatedRequestId);
    });
  }

  /**
   * The wire error for a handler needing a client capability this session's client did not
   * declare; `undefined` (a local error instead) on the legacy revisions, which define none.
   */
  missingCapability(_capability: string, _what: string): Error | undefined {
    return undefined;
  }

  /**
   * Applies a change the client asked for (`notifications/initialized`, `logging/setLevel`,
   * `resources/subscribe`); on a shared session, also writes it through and returns the promise
   * of that (the request is answered once every instance can see the change).
   */
  change(change: SessionChange): Promise<void> | undefined {
    this.applyChange(change);
    return this.mirror?.changed(this, change);
  }

  /** Applies a change here only (one this instance heard another make). */
  applyChange(change: SessionChange): void {
    switch (change.field) {
      case "initialized":
        this.initialized = true;
        return;
      case "logLevel":
        this.logLevel = change.level;
        return;
      case "subscribe":
        this.resourceSubscriptions.add(change.uri);
        return;
      case "unsubscribe":
        this.resourceSubscriptions.delete(change.uri);
        return;
    }
  }

  /**
   * The client's answer to one of the server's requests: settled here, or on a shared session
   * passed to the instance that sent the request. Unknown ids are dropped.
   */
  receiveResponse(response: JsonRpcResponse): void {
    if (!this.settleOutbound(response)) this.mirror?.forwardResponse(this, response);
  }

  /** `notifications/cancelled`: aborts the request here, or on a shared session wherever it runs. */
  cancelRequest(requestId: JsonRpcId, reason: string): void {
    const inflight = this.#inflight?.get(requestId);
    if (inflight !== undefined)
      inflight.cancel(new CancelledError(`Request ${requestId} was cancelled: ${reason}`));
    else this.mirror?.forwardCancel(this, requestId, reason);
  }

  /** Delivers the client's answer to one of our requests; returns false for an unknown id. */
  settleOutbound(response: JsonRpcResponse): boolean {
    if (response.id === null) return false;
    const pending = this.#outbound?.get(response.id);
    if (pending === undefined) return false;
    this.#outbound?.delete(response.id);
    if ("error" in response) pending.reject(ProtocolError.fromJSON(response.error));
    else pending.resolve(response.result);
    return true;
  }

  /**
   * Runs `callback` when the transport ends this session's long-lived request gracefully (see
   * {@link endGracefully}); returns the function that unregisters it. A 2025 session never does.
   */
  onGracefulEnd(_callback: () => void): () => void {
    return noop;
  }

  /** Ends a long-lived request (a stateless `subscriptions/listen`) with its answer; see the subclass. */
  endGracefully(): void {}

  /** Ends the session: in-flight requests are aborted, requests to the client rejected. */
  close(reason = "The session ended."): void {
    if (this.#closed) return;
    this.#closed = true;
    const inflight = this.#inflight;
    if (inflight !== undefined) {
      for (const request of inflight.values()) request.cancel(new CancelledError(reason));
      inflight.clear();
    }
    const outbound = this.#outbound;
    if (outbound !== undefined) {
      for (const pending of outbound.values()) pending.reject(new CancelledError(reason));
      outbound.clear();
    }
  }
}
