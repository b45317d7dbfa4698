import {
  errorResponse,
  isNotification,
  isRequest,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcResponse,
} from "../protocol/jsonrpc.js";
import { InvalidRequestError, isProtocolError } from "../protocol/protocol-error.js";
import { quote } from "../protocol/quote.js";
import {
  hasEnvelope,
  META_KEYS,
  readEnvelope,
  unsupportedVersionError,
} from "../protocol/revisions/2026-07-28.js";
import type { ProtocolRevision } from "../protocol/revisions.js";
import type { MessageChannel, Session } from "../server/session/session.js";
import type { SessionManager } from "../server/session/session-manager.js";

/**
 * The revision a stdio connection speaks, pinned by its first request: `initialize` pins the
 * legacy (2025) session, a request whose `_meta` carries a protocol version (`server/discover`,
 * the official SDK's probe) pins the stateless revisions for the connection's life. A pinned
 * stateless connection serves every request on a session-like context of its own (see
 * `StatelessSession`); `notifications/cancelled` still cancels one (stdio has no stream to close).
 */
export class StdioRevisionPin {
  readonly #sessions: SessionManager;
  readonly #channel: MessageChannel;
  /** undefined until the first request decides. */
  #stateless: boolean | undefined;
  readonly #inflight = new Map<JsonRpcId, Session>();

  constructor(sessions: SessionManager, channel: MessageChannel) {
    this.#sessions = sessions;
    this.#channel = channel;
  }

  /**
   * Whether the connection is pinned to the stateless revisions (decided by `message` if still
   * open), or `message` is a stateless request to refuse. A stateless request naming a version
   * this server does not serve pins nothing: it is answered `-32022` and the connection stays
   * open to `initialize` (how a client probing with `server/discover` falls back).
   */
  claims(message: JsonRpcMessage, legacy: Session): boolean {
    if (this.#stateless === undefined && isRequest(message)) {
      if (legacy.revision !== undefined || !hasEnvelope(message.params)) this.#stateless = false;
      else if (this.#served(message.params) !== undefined) this.#stateless = true;
      else return true;
    }
    return this.#stateless === true;
  }

  /** The connection is pinned to the stateless revisions (not merely sent a refused stateless request). */
  get stateless(): boolean {
    return this.#stateless === true;
  }

  /** The served stateless revision a request's `_meta` names, if any. */
  #served(params: Record<string, unknown> | undefined): ProtocolRevision | undefined {
    const meta = params?._meta as Record<string, unknown> | undefined;
    const version = meta?.[META_KEYS.protocolVersion];
    return this.#sessions.statelessRevisions.find((revision) => revision.version === version);
  }

  /** Serves one message of a stateless connection; resolves with the response to write, if any. */
  async handle(message: JsonRpcMessage): Promise<JsonRpcResponse | undefined> {
    if (isNotification(message)) {
      if (message.method === "notifications/cancelled") {
        const id = message.params?.requestId;
        if (typeof id === "string" || typeof id === "number")
          this.#inflight.get(id)?.close("Cancelled by the client.");
      }
      return undefined;
    }
    if (!isRequest(message)) return undefined; // no requests of ours to answer on a stateless connection
    // Each request has a session of its own, so the connection checks ids as a session would: a
    // second request under the id of one in flight could not be cancelled, nor cancelled at close.
    if (this.#inflight.has(message.id)) return errorResponse(message.id, duplicateId(message.id).toJSON());
    let session: Session;
    try {
      const envelope = readEnvelope(message.params);
      const revision = this.#served(message.params);
      if (revision === undefined) {
        const supported = this.#sessions.statelessRevisions.map((served) => served.version);
        throw unsupportedVersionError(envelope.protocolVersion, supported);
      }
      session = this.#sessions.openStateless(revision, envelope, this.#channel);
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      return errorResponse(message.id, error.toJSON());
    }
    this.#inflight.set(message.id, session);
    try {
      return await session.handle(message);
    } finally {
      this.#inflight.delete(message.id);
    }
  }

  /**
   * The client closed its input: the requests in flight go on to their answers, but a
   * `subscriptions/listen` stream would never end (no `notifications/cancelled` can come), so each
   * ends now as the server ends one, with its empty result.
   */
  endStreams(): void {
    for (const session of this.#inflight.values()) session.endGracefully();
  }

  /** Cancels every request in flight (the connection closed). */
  closeAll(): void {
    for (const session of this.#inflight.values()) session.close("The connection closed.");
    this.#inflight.clear();
  }
}

function duplicateId(id: JsonRpcId): InvalidRequestError {
  return new InvalidRequestError(
    `Request id ${quote(id)} is already in use by a request in flight.`,
    "duplicate-request-id",
  );
}
