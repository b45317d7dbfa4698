import type { JsonRpcId, JsonRpcMessage } from "../../protocol/jsonrpc.js";
import { InternalError } from "../../protocol/protocol-error.js";
import { missingCapabilityError, type RequestEnvelope } from "../../protocol/revisions/2026-07-28.js";
import type { ProtocolRevision } from "../../protocol/revisions.js";
import { type ClientInfo, type MessageChannel, type MessageHandler, Session } from "./session.js";

/** The id of every stateless request's session: never shown (`ctx.sessionId` is `undefined`). */
const STATELESS_SESSION_ID = "";

/**
 * Who owns what a stateless request without an authenticated identity creates (tasks, once the
 * tasks extension lands). The stateless revisions have no session to own anything, so without
 * `auth` there is no owner continuity between requests: every anonymous request shares this
 * owner, and an unguessable id (a task id) is what reaches a thing. With `auth`, the identity owns.
 */
export const STATELESS_OWNER = "stateless";

/**
 * The session-like context of one stateless (2026-07-28) request: made for the request from its
 * `_meta` envelope and dropped with it. No `initialize`, no id, no limit, not one of the server's
 * sessions; the dispatcher, routes and handlers serve it exactly as they serve a session's
 * request. Its messages (progress, logs) go to the request's own response, and a log goes only
 * when the request asked for a level.
 */
export class StatelessSession extends Session {
  /** The request named a log level (`_meta`): without one it gets no `notifications/message`. */
  readonly #logs: boolean;

  constructor(
    handler: MessageHandler,
    revision: ProtocolRevision,
    envelope: RequestEnvelope,
    channel?: MessageChannel,
    owner?: string,
  ) {
    super(STATELESS_SESSION_ID, handler, channel, owner ?? STATELESS_OWNER);
    this.revision = revision;
    this.initialized = true;
    this.clientCapabilities = envelope.clientCapabilities;
    this.clientInfo = envelope.clientInfo as ClientInfo | undefined;
    this.#logs = envelope.logLevel !== undefined;
    if (envelope.logLevel !== undefined) this.logLevel = envelope.logLevel;
  }

  override send(message: JsonRpcMessage, relatedRequestId?: JsonRpcId): void {
    if (!this.#logs && (message as { method?: unknown }).method === "notifications/message") return;
    super.send(message, relatedRequestId);
  }

  /**
   * Stateless revisions send no requests to the client: they answer `input_required` instead,
   * which this server does not do yet, so `ctx.elicit()`/`ctx.sample()` fail here.
   */
  override request(method: string): Promise<Record<string, unknown>> {
    return Promise.reject(
      new InternalError(
        `${method} on protocol ${this.revision?.version} needs an input_required result, which this server does not send yet: call the tool over a 2025-11-25 session.`,
      ),
    );
  }

  override missingCapability(capability: string, what: string): Error {
    return missingCapabilityError(capability, what);
  }
}
