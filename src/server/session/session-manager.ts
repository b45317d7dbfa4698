import type { ResolvedAuth } from "../../auth/auth-options.js";
import { FastestMcpError } from "../../errors.js";
import { notification } from "../../protocol/jsonrpc.js";
import type { RequestEnvelope } from "../../protocol/revisions/2026-07-28.js";
import { type ProtocolRevision, REVISIONS } from "../../protocol/revisions.js";
import type { TaskEvent } from "../../tasks/task-events.js";
import { toTask } from "../../tasks/task-view.js";
import { randomUUID } from "../../util/random-uuid.js";
import { LOCAL_OWNER } from "../call-options.js";
import type { ServerState } from "../server-state.js";
import { type MessageChannel, type MessageHandler, Session } from "./session.js";
import type { SharedSessionRecord } from "./session-directory.js";
import { SessionLimitError } from "./session-errors.js";
import { SharedSessions } from "./shared-sessions.js";
import { StatelessSession } from "./stateless-session.js";

/** Default of the `maxSessions` server option: an idle session costs about 8 KiB. */
export const DEFAULT_MAX_SESSIONS = 10_000;

/**
 * All live sessions of one server. Creates them with unguessable ids (at most `maxSessions` at
 * once), ends them (freeing their requests, and the tasks of an owner that cannot come back), and
 * routes task events to every session of the owning owner as `notifications/tasks/status`: the
 * events of tasks this instance runs, and with a backend's event bus those of tasks other
 * instances run (to this instance's unshared sessions of the owner).
 *
 * With a backend that shares sessions (`backend.sessions`), the HTTP transport shares its
 * 2025-11-25 sessions ({@link shared}): a request for a session another instance opened makes a
 * replica here, and a status change of a task that changed here reaches each of its owner's
 * shared sessions once, on whichever instance holds their stream (the instance where the change
 * happened sends it; the others, which hear the change on the bus, do not).
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
  /** Undefined without a backend that shares sessions. */
  readonly #shared: SharedSessions | undefined;
  readonly #endedListeners = new Set<(session: Session) => void>();

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
    const directory = core.options.backend?.sessions;
    this.#shared =
      directory === undefined
        ? undefined
        : new SharedSessions(
            directory,
            {
              get: (id) => this.#sessions.get(id),
              replica: (record) => this.#replica(record),
              endedElsewhere: (session) => this.#endedElsewhere(session),
            },
            core.logger,
          );
    if (this.#shared !== undefined) this.#watchTasks();
  }

  /** The sessions shared with other instances (the backend's `sessions`); undefined without. */
  get shared(): SharedSessions | undefined {
    return this.#shared;
  }

  /**
   * Runs `listener` when a session held here is ended by another instance (a DELETE or its
   * idle expiry there), so the transport closes its streams. Returns the function that stops it.
   */
  onEndedElsewhere(listener: (session: Session) => void): () => void {
    this.#endedListeners.add(listener);
    return () => this.#endedListeners.delete(listener);
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
    return this.#add(new Session(randomUUID(), this.#handler, channel, owner));
  }

  #add(session: Session): Session {
    this.#sessions.set(session.id, session);
    let sessions = this.#byOwner.get(session.owner);
    if (sessions === undefined) {
      sessions = new Set();
      this.#byOwner.set(session.owner, sessions);
    }
    sessions.add(session);
    this.#watchTasks();
    return session;
  }

  /**
   * Hears the runtime's task status events (progress events not: sessions are told nothing
   * about progress, so none is read back for them): from the first session, or from the start
   * when sessions are shared, since a task that changes here (a job this instance runs for a
   * session held elsewhere) is announced to its owner's sessions by this instance.
   */
  #watchTasks(): void {
    this.#unsubscribe ??= this.#core
      .taskRuntime()
      .on((event) => this.#onTaskEvent(event), { progress: false });
  }

  /** A replica of a session another instance opened (see {@link SharedSessions.adopt}). */
  #replica(record: SharedSessionRecord): Session {
    if (this.#sessions.size >= this.#maxSessions) throw new SessionLimitError(this.#maxSessions);
    const session = new Session(record.id, this.#handler, undefined, record.owner);
    session.revision = REVISIONS.find((revision) => revision.version === record.version);
    session.clientInfo = record.clientInfo;
    session.clientCapabilities = record.clientCapabilities;
    session.initialized = record.initialized;
    session.logLevel = record.logLevel;
    for (const uri of record.resourceSubscriptions) session.resourceSubscriptions.add(uri);
    return this.#add(session);
  }

  /** Takes the session out of the maps; false when it was not in them. */
  #drop(session: Session): boolean {
    if (this.#sessions.get(session.id) !== session) return false;
    this.#sessions.delete(session.id);
    const sessions = this.#byOwner.get(session.owner);
    sessions?.delete(session);
    if (sessions !== undefined && sessions.size === 0) this.#byOwner.delete(session.owner);
    return true;
  }

  #endedElsewhere(session: Session): void {
    if (!this.#drop(session)) return;
    session.close();
    for (const listener of this.#endedListeners) listener(session);
    // The instance that ended it deletes an anonymous owner's tasks; the ones running here stop.
    const runtime = this.#core.taskRuntime();
    if (session.owner === session.id && runtime.runningCount(session.owner) > 0) {
      runtime.releaseOwner(session.owner).catch((error: unknown) => {
        this.#core.logger.error("could not cancel the tasks of an ended session", { error });
      });
    }
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
    if (session.mirror !== undefined) {
      // Shared: ended on every instance; the one whose removal took effect releases the tasks.
      const removed = await (this.#shared as SharedSessions).directory.remove(id);
      return this.#endShared(session, removed);
    }
    this.#drop(session);
    session.close();
    const last = !this.#byOwner.has(session.owner);
    if (last && session.owner === session.id) await this.#core.taskRuntime().releaseOwner(session.owner);
    return true;
  }

  /**
   * A session idle here for `idleMs`: an unshared one ends; a shared one ends everywhere only if
   * no instance used it for `idleMs` either, else only this replica goes.
   * @throws {FastestMcpError} `FMCP_ERR_STORE_UNREACHABLE` (the replica stays, for the next sweep).
   */
  async endIdle(id: string, idleMs: number): Promise<boolean> {
    const session = this.#sessions.get(id);
    if (session?.mirror === undefined) return this.end(id);
    const removed = await (this.#shared as SharedSessions).directory.expireIdle(id, idleMs);
    if (removed) return this.#endShared(session, true);
    await this.forget(id);
    return false;
  }

  /**
   * Drops this instance's replica of a shared session (its requests here are aborted) without
   * ending the session: other instances go on serving it. An unshared session ends.
   */
  async forget(id: string): Promise<void> {
    const session = this.#sessions.get(id);
    if (session === undefined) return;
    if (session.mirror === undefined) {
      await this.end(id);
      return;
    }
    this.#drop(session);
    session.close();
  }

  /** Drops a session that never served a request (its sharing failed): nothing to release. */
  discard(id: string): void {
    const session = this.#sessions.get(id);
    if (session === undefined || !this.#drop(session)) return;
    session.close();
  }

  async #endShared(session: Session, removed: boolean): Promise<boolean> {
    this.#drop(session);
    session.close();
    if (removed && session.owner === session.id) await this.#core.taskRuntime().releaseOwner(session.owner);
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

  /** Ends every session; a shared one only here (other instances go on serving it). */
  async endAll(): Promise<void> {
    await Promise.all([...this.#sessions.keys()].map((id) => this.forget(id)));
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #onTaskEvent(event: TaskEvent): void {
    if (event.type !== "status") return;
    const { owner, taskId } = event.task;
    const sessions = this.#byOwner.get(owner);
    const shared = this.#shared !== undefined && owner !== LOCAL_OWNER && this.#announces(event);
    if (sessions === undefined && !shared) return;
    const message = notification("notifications/tasks/status", { ...toTask(event.task) });
    let exclude: string[] | undefined;
    for (const session of sessions ?? []) {
      if (session.revision?.tasks !== true) continue;
      // On a pending tasks/result for the task, the status arrives before that request's answer.
      const waiter = session.taskResultWaiters.get(taskId);
      if (session.mirror !== undefined) {
        // A shared session hears it from the instance where the task changed: below, or there.
        if (!shared || waiter === undefined) continue;
        exclude ??= [];
        exclude.push(session.id);
      }
      session.send(message, waiter);
    }
    if (shared) this.#shared?.notify({ owner }, JSON.stringify(message), exclude);
  }

  /**
   * Whether this instance tells the owner's shared sessions of a status change: the instance
   * where it changed, except for a job of the queue, whose status the instance that accepted it
   * announces (after the progress it relays from the bus, so the end never overtakes it).
   */
  #announces(event: TaskEvent): boolean {
    const { taskId } = event.task;
    if (this.#core.queuedRelay.has(taskId)) return true;
    return event.remote !== true && this.#core.taskRuntime().queue?.runsJob(taskId) !== true;
  }
}
