import { Cancellation } from "../../context/cancellation.js";
import type { ClientRequests } from "../../context/client-requests.js";
import type { ContextInit } from "../../context/context.js";
import { Logger, type LogSink } from "../../context/logger.js";
import { combineProgressSinks, type ProgressSink } from "../../context/progress-sink.js";
import { ProgressTracker } from "../../context/progress-tracker.js";
import type { AuthInfo } from "../../protocol/auth-info.js";
import type { JsonRpcId, JsonRpcRequest } from "../../protocol/jsonrpc.js";
import type { ProgressToken } from "../../protocol/mcp-types.js";
import type { RequestInfo } from "../../protocol/request-info.js";
import type { ProtocolRevision } from "../../protocol/revisions.js";
import { type LocalCall, localOwner } from "../call-options.js";
import type { ServerState } from "../server-state.js";
import { localClientRequests, sessionClientRequests, withTaskStatus } from "../session/client-requests.js";
import type { IncomingRequest, InflightRequest, Session } from "../session/session.js";
import { RequestView } from "./request-view.js";
import { type RelatedRequest, WireLogSink, WireProgressSink } from "./wire-sinks.js";

/** What ties a task's scope to its task: the task's id, progress store and cancellation. */
interface TaskLink {
  readonly taskId: string;
  /** Persists progress on the task record. */
  readonly sink: ProgressSink;
  /** The task's own cancellation (cancel, expiry, shutdown) and the listener that follows it. */
  readonly cancellation: Cancellation;
  readonly follow: () => void;
}

/**
 * Everything about one request, in one object: what the dispatcher and the method handlers read
 * (core, session, params), its cancellation (it *is* one: `notifications/cancelled`, the session
 * ending, the caller's signal and a tool's timeout abort it), and the {@link ContextInit} its
 * handler's `Context` reads. The logger, progress tracker, sinks and client requester are built
 * on first read and kept (a sink is stateful), so a handler that uses none of them pays for none.
 *
 * A request from a wire session has `local` undefined: its progress goes to its
 * `_meta.progressToken`, its logs and client requests to its session. An in-process request (the
 * server's local session) carries the caller's options as `local` instead: callbacks, signal,
 * timeout, client stand-ins and task owner, which JSON-RPC can't carry.
 *
 * A background task runs its handler with a scope of its own ({@link forTask}): same request,
 * the task's id, signal and progress store, and a lifetime that outlasts the request's answer.
 */
export class RequestScope extends Cancellation implements ContextInit, InflightRequest {
  readonly core: ServerState;
  readonly session: Session;
  readonly request: JsonRpcRequest;
  readonly params: Record<string, unknown>;
  /** The in-process caller's options; `undefined` for a request that came over a session. */
  readonly local: LocalCall | undefined;
  /** The request's `_meta.progressToken`, when its method honours one (set by the handler). */
  progressToken: ProgressToken | undefined = undefined;
  /**
   * What the method produced before it was shaped for the wire (a tool's own value or error, a
   * task record): the in-process API hands that back instead of the JSON-RPC result.
   */
  outcome: unknown = undefined;
  /**
   * The in-process caller reads only {@link outcome} (`callTool`'s raw value): the handler may
   * skip shaping the wire's result.
   */
  outcomeOnly = false;
  readonly #task: TaskLink | undefined;
  /** The HTTP request a wire message arrived in (the transport's exchange), when there is one. */
  readonly #incoming: IncomingRequest | undefined;
  #view: RequestView | undefined = undefined;
  #cancelled = false;
  #closed = false;
  #log: Logger | undefined = undefined;
  #tracker: ProgressTracker | undefined = undefined;
  #progressSink: ProgressSink | undefined = undefined;
  #logSink: LogSink | undefined = undefined;
  #client: ClientRequests | null | undefined = undefined;

  constructor(
    core: ServerState,
    session: Session,
    request: JsonRpcRequest,
    local: LocalCall | undefined,
    incoming?: IncomingRequest,
    task?: TaskLink,
  ) {
    super();
    this.core = core;
    this.session = session;
    this.request = request;
    this.params = request.params ?? {};
    this.local = local;
    this.#incoming = incoming;
    this.#task = task;
  }

  /**
   * The scope a background task started by this request runs in: its signal follows the task's
   * (cancellation, expiry, shutdown), and its progress goes to the task record as well. `args`
   * replaces the request's arguments for the task's handler.
   */
  forTask(
    taskId: string,
    cancellation: Cancellation,
    taskSink: ProgressSink,
    args?: Record<string, unknown>,
  ): RequestScope {
    const follow = (): void => scope.abort(cancellation.reason);
    // A tool's task.prepare may give the task other arguments than the call's.
    const request =
      args === undefined ? this.request : { ...this.request, params: { ...this.params, arguments: args } };
    const scope = new RequestScope(this.core, this.session, request, this.local, this.#incoming, {
      taskId,
      sink: taskSink,
      cancellation,
      follow,
    });
    scope.progressToken = this.progressToken;
    // It listens in the cancellation's slot: neither builds an AbortSignal unless the handler
    // reads ctx.signal.
    cancellation.onAbort(follow);
    return scope;
  }

  /** The background task this scope runs, when it is a task's ({@link forTask}). */
  get taskId(): string | undefined {
    return this.#task?.taskId;
  }

  /**
   * The protocol revision this request speaks: the one place handlers ask. A session's revision,
   * or a stateless (2026-07-28) request's own (its session lives for the request alone).
   */
  get revision(): ProtocolRevision | undefined {
    return this.session.revision;
  }

  /**
   * Whose tasks this request addresses: a wire request's session's owner (with `auth` on, the
   * identity that opened it); in-process, the caller's `owner`, else its `auth` identity's, else
   * the local session's.
   */
  get owner(): string {
    const { local } = this;
    return local === undefined ? this.session.owner : localOwner(local, this.session.owner);
  }

  /** The caller's identity: the in-process call's `auth`, else the one the transport verified. */
  get auth(): AuthInfo | undefined {
    const { local } = this;
    return local === undefined ? this.#incoming?.auth : local.auth;
  }

  /** `ctx.request`: the HTTP request a wire message arrived in, read-only; built on first read. */
  get httpRequest(): RequestInfo | undefined {
    const incoming = this.#incoming;
    if (incoming === undefined) return undefined;
    this.#view ??= new RequestView(incoming);
    return this.#view;
  }

  /**
   * Whether anything but a tool's own timeout can abort this scope: a wire request's client or
   * session, a task's runtime, an in-process caller's signal. Handlers race only then.
   */
  get abortable(): boolean {
    const { local } = this;
    return local === undefined || local.signal !== undefined || this.taskId !== undefined;
  }

  /** True once the client cancelled the request or its session ended: it gets no answer. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** See {@link InflightRequest}: `notifications/cancelled` and the session's end call this. */
  cancel(reason: unknown): void {
    this.#cancelled = true;
    this.abort(reason);
  }

  // ContextInit: what the handler's Context reads.

  get requestId(): JsonRpcId {
    return this.request.id;
  }

  get serverName(): string {
    return this.core.name;
  }

  /**
   * The session's id for a wire request; `undefined` in-process and for a stateless revision's
   * request, which has no session (docs/context.md).
   */
  get sessionId(): string | undefined {
    return this.local === undefined && this.session.revision?.stateless !== true
      ? this.session.id
      : undefined;
  }

  get log(): Logger {
    this.#log ??= new Logger(
      this.logSink,
      this.core.name,
      this.local === undefined ? this.session.logLevel : this.local.logLevel,
      this.core.logger,
    );
    return this.#log;
  }

  get tracker(): ProgressTracker {
    if (this.#tracker === undefined) {
      const { core } = this;
      this.#tracker = new ProgressTracker({
        sink: this.progressSink,
        intervalMs: core.progressIntervalMs,
        logger: core.logger,
      });
      if (this.#closed) this.#tracker.close();
    }
    return this.#tracker;
  }

  /** Requests to the client (`ctx.sample`, `ctx.elicit`); `undefined` when nobody can answer. */
  get client(): ClientRequests | undefined {
    if (this.#client === undefined) this.#client = this.#buildClient() ?? null;
    return this.#client ?? undefined;
  }

  /**
   * Where the handler's progress goes: the caller's `onProgress` in-process, the request's
   * progress token on the wire, and the task record for a task. Built once.
   */
  get progressSink(): ProgressSink | undefined {
    if (this.#progressSink !== undefined) return this.#progressSink;
    const { local } = this;
    let sink: ProgressSink | undefined;
    if (local !== undefined) sink = local.onProgress === undefined ? undefined : (local as ProgressSink);
    else if (this.progressToken !== undefined)
      sink = new WireProgressSink(this.session, this.progressToken, this.#related());
    if (this.#task !== undefined) sink = combineProgressSinks(this.#task.sink, sink);
    this.#progressSink = sink;
    return sink;
  }

  /**
   * Where `ctx.log` entries go: the caller's `onLog` in-process, the session on the wire, and for
   * a task its log listeners. Built once.
   */
  get logSink(): LogSink | undefined {
    if (this.#logSink !== undefined) return this.#logSink;
    const { local } = this;
    let sink: LogSink | undefined;
    if (local !== undefined) sink = local.onLog === undefined ? undefined : (local as LogSink);
    else sink = new WireLogSink(this.session, this.#related());
    // A task's entries are announced too, to whoever listens for them (the dashboard).
    const taskId = this.#task?.taskId;
    if (taskId !== undefined) sink = this.core.taskRuntime().logSink(taskId, this.owner, sink);
    this.#logSink = sink;
    return sink;
  }

  /** The handler is done: its tracker delivers its final state and takes no more updates. */
  close(): void {
    this.#closed = true;
    this.#tracker?.close();
    // The runtime keeps a finished task's signal while it keeps the task: unhook this scope (and
    // the request's arguments it holds) from it.
    const task = this.#task;
    task?.cancellation.offAbort(task.follow);
  }

  /**
   * Which client request the handler's messages belong to: the request itself, or for a task
   * (whose request was answered at once) a pending `tasks/result` for it, looked up when sent.
   */
  #related(): RelatedRequest {
    const { taskId, session } = this;
    return taskId === undefined ? this.request.id : () => session.taskResultWaiters.get(taskId);
  }

  #buildClient(): ClientRequests | undefined {
    const { local, taskId, session } = this;
    if (taskId === undefined) {
      return local === undefined
        ? sessionClientRequests(session, this.request.id)
        : localClientRequests(local);
    }
    // A queued task's worker built what it can serve (it is not where the caller's session is).
    if (local?.taskClient !== undefined) return local.taskClient;
    const requests =
      local === undefined ? sessionClientRequests(session, undefined, taskId) : localClientRequests(local);
    // A task is input_required while the client has not answered. A stateless revision's client
    // takes no requests: the task's asks wait for tasks/update instead.
    const runtime = this.core.taskRuntime();
    if (local === undefined && session.revision?.stateless === true)
      return runtime.inputs.requestsOf(this.owner, taskId, requests as ClientRequests);
    return requests && withTaskStatus(requests, runtime, this.owner, taskId);
  }
}
