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
 * once), ends them (freeing their requests, and the tasks of an owner that cannot come back), and
 * routes task events to every session of the owning owner as `notifications/tasks/status`: the
 * events of tasks this instance runs, and with a backend's event bus those of tasks other
 * instances run (to this instance's sessions of the owner; a session held by another instance
 * is reached once sessions are shared).
 *
 * One owner may hold many sessions (an identity connected twice). Tasks belong to the owner, not
 * to a session: when a session ends, its owner's tasks are released (unfinished ones cancelled,
 * records deleted) only if the owner can never come back, i.e. it is an anonymous session whose
 * owner is its own id, and no other session of that owner is open. An identity's tasks outlive
 * its sessions until their TTL.
 */
export class SessionManager {
  readonly #sessions = new Map<string, Session>();
  readonly #byOwner = new Map<string, Set<Session>>();
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

  /** The stateless revisions this server serves (its `protocolVersions` option), newest first. */
  get statelessRevisions(): readonly ProtocolRevision[] {
    return this.#core.revisions.stateless;
  }

  /** The server's `auth` option, prepared: the HTTP transport authenticates every request with it. */
  get auth(): ResolvedAuth | undefined {
    return this.#core.auth;
  }

  /**
   * Opens a session. `channel` receives its server→client messages; `owner` is who its tasks
   * belong to: an identity that may come back in other sessions (default: the session's own id,
   * an anonymous owner that ends with it).
   * @throws {SessionLimitError} (-32005) when `maxSessions` sessions are open; nothing is allocated then.
   */
  create(channel?: MessageChannel, owner?: string): Session {
    if (this.#sessions.size >= this.#maxSessions) throw new SessionLimitError(this.#maxSessions);
    const session = new Session(randomUUID(), this.#handler, channel, owner);
    this.#sessions.set(session.id, session);
    let sessions = this.#byOwner.get(session.owner);
    if (sessions === undefined) {
      sessions = new Set();
      this.#byOwner.set(session.owner, sessions);
    }
    sessions.add(session);
    // Status events only: sessions are told nothing about progress, so none is read back for them.
    this.#unsubscribe ??= this.#core
      .taskRuntime()
      .on((event) => this.#onTaskEvent(event), { progress: false });
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
    return new StatelessSession(this.#handler, revision, envelope, channel, owner, this.#core.inputRequired);
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
   * Ends a session: its requests are aborted. When its owner can never come back (anonymous, see
   * the class comment) and has no other session, the owner's unfinished tasks are cancelled and
   * its task records deleted; an identity's tasks stay until their TTL.
   */
  async end(id: string): Promise<boolean> {
    const session = this.#sessions.get(id);
    if (session === undefined) return false;
    this.#sessions.delete(id);
    const sessions = this.#byOwner.get(session.owner);
    sessions?.delete(session);
    const last = sessions === undefined || sessions.size === 0;
    if (last) this.#byOwner.delete(session.owner);
    session.close();
    if (last && session.owner === session.id) await this.#core.taskRuntime().releaseOwner(session.owner);
    return true;
  }

  /**
   * Ends every `subscriptions/listen` stream gracefully (the server is closing): each answers its
   * request with the empty result. Resolves once those answers are written (they are written on
   * microtasks; a zero timeout runs after all of them), before a front drops its connections.
   */
  async closeSubscriptions(): Promise<void> {
    if (this.#core.subscriptions.listenerCount === 0) return this.#core.subscriptions.close();
    this.#core.subscriptions.close();
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }

  /** Ends every session. */
  async endAll(): Promise<void> {
    await Promise.all([...this.#sessions.keys()].map((id) => this.end(id)));
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #onTaskEvent(event: TaskEvent): void {
    if (event.type !== "status") return;
    const sessions = this.#byOwner.get(event.task.owner);
    if (sessions === undefined) return;
    for (const session of sessions) {
      if (session.revision?.tasks !== true) continue;
      // On a pending tasks/result for the task, the status arrives before that request's answer.
      session.send(
        notification("notifications/tasks/status", { ...toTask(event.task) }),
        session.taskResultWaiters.get(event.task.taskId),
      );
    }
  }
}
