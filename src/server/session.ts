import type { JsonRpcId, JsonRpcMessage, JsonRpcResponse } from "../protocol/jsonrpc.js";
import type { LogLevel, ProgressToken } from "../protocol/mcp-types.js";
import type { ProtocolRevision } from "../protocol/revisions.js";

/** Where a session's server→client messages go; implemented by each transport. */
export interface MessageChannel {
  /**
   * Sends one message. `relatedRequestId` names the client request it belongs to (progress and
   * logs of a call): the transport uses that request's stream while it is open.
   */
  send(message: JsonRpcMessage, relatedRequestId?: JsonRpcId): void;
}

/** Routes a session's incoming messages; implemented by the server's dispatcher. */
export interface MessageHandler {
  dispatch(session: Session, message: JsonRpcMessage): Promise<JsonRpcResponse | undefined>;
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
  /** Who owns this session's tasks (the session id, plus an auth identity when there is one). */
  readonly owner: string;
  revision: ProtocolRevision | undefined = undefined;
  clientInfo: ClientInfo | undefined = undefined;
  clientCapabilities: Record<string, unknown> | undefined = undefined;
  /** Set by `notifications/initialized`. */
  initialized = false;
  /** Lowest level sent as `notifications/message` (`logging/setLevel`). */
  logLevel: LogLevel = "debug";
  /** Requests being served, by id: `notifications/cancelled` aborts them. */
  readonly inflight = new Map<JsonRpcId, AbortController>();
  /** Progress tokens of this session's tasks, by task id. */
  readonly taskProgressTokens = new Map<string, ProgressToken>();
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

  /** Connects (or replaces) the channel server→client messages go to. */
  attach(channel: MessageChannel): void {
    this.#channel = channel;
  }

  /** Handles one incoming message; resolves with the response to send, if any. */
  handle(message: JsonRpcMessage): Promise<JsonRpcResponse | undefined> {
    return this.#handler.dispatch(this, message);
  }

  /** Sends a server→client message (dropped once the session is closed). */
  send(message: JsonRpcMessage, relatedRequestId?: JsonRpcId): void {
    if (!this.#closed) this.#channel?.send(message, relatedRequestId);
  }

  /** Ends the session: in-flight requests are aborted. */
  close(reason = "The session ended."): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const controller of this.inflight.values()) controller.abort(new Error(reason));
    this.inflight.clear();
  }
}
