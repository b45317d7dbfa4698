import {
  errorResponse,
  isNotification,
  isRequest,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcResponse,
} from "../protocol/jsonrpc.js";
import { isProtocolError } from "../protocol/protocol-error.js";
import { hasEnvelope, readEnvelope, unsupportedVersionError } from "../protocol/revisions/2026-07-28.js";
import { findStatelessRevision, STATELESS_REVISIONS } from "../protocol/revisions.js";
import type { MessageChannel, Session } from "../server/session/session.js";
import type { SessionManager } from "../server/session/session-manager.js";

const SUPPORTED = STATELESS_REVISIONS.map((revision) => revision.version);

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

  /** Whether the connection is pinned to the stateless revisions (decided by `message` if still open). */
  claims(message: JsonRpcMessage, legacy: Session): boolean {
    if (this.#stateless === undefined && isRequest(message)) {
      this.#stateless = legacy.revision === undefined && hasEnvelope(message.params);
    }
    return this.#stateless === true;
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
    let session: Session;
    try {
      const envelope = readEnvelope(message.params);
      const revision = findStatelessRevision(envelope.protocolVersion);
      if (revision === undefined) throw unsupportedVersionError(envelope.protocolVersion, SUPPORTED);
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

  /** Cancels every request in flight (the connection closed). */
  closeAll(): void {
    for (const session of this.#inflight.values()) session.close("The connection closed.");
    this.#inflight.clear();
  }
}
