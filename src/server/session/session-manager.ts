import type { ResolvedAuth } from "../../auth/auth-options.js";
import { FastestMcpError } from "../../errors.js";
import { notification } from "../../protocol/jsonrpc.js";
import type { RequestEnvelope } from "../../protocol/revisions/2026-07-28.js";
import type { ProtocolRevision } from "../../protocol/revisions.js";
import type { TaskEvent } from "../../tasks/task-events.js";
import { toTask } from "../../tasks/task-view.js";
import { randomUUID } from "../../util/random-uuid.js";
import type { ServerState } from "../server-state.js";
import { type MessageChannel, type MessageHandler, Session } from "./session.js";
import { SessionLimitError } from "./session-errors.js";
import { StatelessSession } from "./stateless-session.js";

/** Default of the `maxSessions` server option: an idle session costs about 8 KiB. */
export const DEFAULT_MAX_SESSIONS = 10_000;

/**
 * All live sessions of one server. Creates them with unguessable ids (at most `maxSessions` at
 * once), ends them (freeing their requests and tasks), and routes task events to the owning
 * session as `notifications/tasks/status`.
 */
export class SessionManager {
  readonly #sessions = new Map<string, Session>();
  readonly #byOwner = new Map<string, Session>();
  readonly #core: ServerState;
  readonly #handler: MessageHandler;
  readonly #maxSessions: number;
  #unsubscribe: (() => void) | undefined;

  /** @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` when `maxSessions` is not a whole number >= 1. */
  constructor(core: ServerState, handler: MessageHandler) {
    this.#core = core;
    this.#handler = handler;
    const max = core.options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `maxSessions must be a whole number >= 1, got ${String(core.options.maxSessions)}.`,
      );
    }
    this.#maxSessions = max;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** The server's `auth` option, prepared: the HTTP transport authenticates every request with it. */
  get auth(): ResolvedAuth | undefined {
    return this.#core.auth;
  }

  /**
   * Opens a session. `channel` receives its server→client messages. `owner` (with `auth` on: the
   * identity that opened it) owns its tasks instead of the session id.
   * @throws {SessionLimitError} (-32005) when `maxSessions` sessions are open; nothing is allocated then.
   */
  create(channel?: MessageChannel, owner?: string): Session {
    if (this.#sessions.size >= this.#maxSessions) throw new SessionLimitError(this.#maxSessions);
    const session = new Session(randomUUID(), this.#handler, channel, owner);
    this.#sessions.set(session.id, session);
    this.#byOwner.set(session.owner, session);
    this.#unsubscribe ??= this.#core.taskRuntime().on((event) => this.#onTaskEvent(event));
    return session;
  }

  /**
   * The session-like context of one stateless (2026-07-28) request: not kept, not counted
   * against `maxSessions`; `owner` is the request's authenticated identity, if any.
   */
  openStateless(
    revision: ProtocolRevision,
    envelope: RequestEnvelope,
    channel: MessageChannel,
    owner?: string,
  ): StatelessSession {
    return new StatelessSession(this.#handler, revision, envelope, channel, owner);
  }

  /** Running background tasks of an owner (an idle session with work in progress stays open). */
  runningTasks(owner: string): number {
    return this.#core.taskRuntime().runningCount(owner);
  }

  get(id: string): Session | undefined {
    return this.#sessions.get(id);
  }

  /** The live sessions, in the order they were opened. */
  values(): IterableIterator<Session> {
    return this.#sessions.values();
  }

  /**
   * Ends a session: its requests are aborted. Tasks owned by the session itself are cancelled and
   * their records deleted; tasks owned by an identity outlive it (the identity sees them from its
   * next session) until their TTL.
   */
  async end(id: string): Promise<boolean> {
    const session = this.#sessions.get(id);
    if (session === undefined) return false;
    this.#sessions.delete(id);
    if (this.#byOwner.get(session.owner) === session) this.#byOwner.delete(session.owner);
    session.close();
    if (session.owner === session.id) await this.#core.taskRuntime().releaseOwner(session.owner);
    return true;
  }

  /** Ends every session. */
  async endAll(): Promise<void> {
    await Promise.all([...this.#sessions.keys()].map((id) => this.end(id)));
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #onTaskEvent(event: TaskEvent): void {
    if (event.type !== "status") return;
    const session = this.#byOwner.get(event.task.owner);
    if (session === undefined || session.revision?.tasks !== true) return;
    // On a pending tasks/result for the task, the status arrives before that request's answer.
    session.send(
      notification("notifications/tasks/status", { ...toTask(event.task) }),
      session.taskResultWaiters.get(event.task.taskId),
    );
  }
}
