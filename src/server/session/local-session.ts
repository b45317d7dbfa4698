import { CancelledError } from "../../errors.js";
import { quote } from "../../protocol/quote.js";
import { negotiateRevision } from "../../protocol/revisions.js";
import type { TaskRecord } from "../../tasks/task-record.js";
import {
  LOCAL_OWNER,
  type LocalCall,
  localOwner,
  type TaskOwnerOptions,
  type TaskRef,
  taskIdOf,
} from "../call-options.js";
import type { Dispatcher } from "../dispatch/dispatcher.js";
import { RequestScope } from "../dispatch/request-scope.js";
import type { ServerState } from "../server-state.js";
import type { TaskResultOutcome } from "../tasks/task-handlers.js";
import type { ToolOutcome } from "../tools/tool-runner.js";
import { Session } from "./session.js";

/** The in-process session's id (never shown: `ctx.sessionId` is `undefined` in-process). */
const LOCAL_SESSION_ID = "local";

/**
 * The in-process API's session: `server.callTool`, `readResource`, `getPrompt`, `complete` and
 * the task methods are requests on it, served by the same dispatcher, routes and handlers as a
 * wire session's (what tests exercise is what the wire runs). It speaks the latest revision,
 * needs no `initialize`, and owns tasks as {@link LOCAL_OWNER} unless a call names an `owner`.
 *
 * What JSON-RPC can't carry (callbacks, an AbortSignal, a time limit, client stand-ins, the
 * owner) rides on the request scope as `local`, by reference: nothing is serialised. It is not
 * one of the server's `sessions` (no limit, no notifications) and never closes.
 */
export class LocalSession extends Session {
  readonly #core: ServerState;
  readonly #dispatcher: Dispatcher;
  #nextId = 0;

  constructor(core: ServerState, dispatcher: Dispatcher) {
    super(LOCAL_SESSION_ID, dispatcher, undefined, LOCAL_OWNER);
    this.#core = core;
    this.#dispatcher = dispatcher;
    // The in-process API speaks the latest 2025 revision, whatever the server serves on the wire.
    this.revision = negotiateRevision(undefined);
    this.initialized = true;
  }

  /** Sends `method` and resolves with its result as the wire would answer; rejects with the error as thrown. */
  call<T>(method: string, params: Record<string, unknown>, local: LocalCall): Promise<T> {
    // Not async: a promise from the handler is handed back as it is.
    try {
      return Promise.resolve(this.serve(this.open(method, params, local))) as Promise<unknown> as Promise<T>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Sends `method` and resolves with what its handler produced before the wire shaped it (the
   * scope's `outcome`: a tool's own value or error, a task record), even when the wire would
   * have answered with an error; rejects when the request failed before that.
   */
  outcome<T>(method: string, params: Record<string, unknown>, local: LocalCall): Promise<T> {
    // Chained, not async: a suspended frame per request that thousands of callers may have in
    // flight at once (a burst of task starts).
    const scope = this.open(method, params, local, true);
    let answered: unknown;
    try {
      answered = this.serve(scope);
    } catch (error) {
      answered = Promise.reject(error);
    }
    return Promise.resolve(answered).then(
      () => scope.outcome as T,
      (error: unknown) => {
        if (scope.outcome === undefined) throw error;
        return scope.outcome as T;
      },
    );
  }

  /**
   * `tools/call` in-process without a task (`server.callTool`): the handler's own value, or its
   * error thrown. Not `outcome`: one async frame less on the in-process hot path.
   */
  async callNow(
    name: string,
    args: Record<string, unknown> | undefined,
    options: LocalCall,
  ): Promise<unknown> {
    const scope = this.open("tools/call", { name, arguments: args }, options, true);
    try {
      // A sync tool is answered synchronously: no promise to wait for.
      const answered = this.serve(scope);
      if (answered instanceof Promise) await answered;
    } catch (error) {
      if (scope.outcome === undefined) throw error;
    }
    const outcome = scope.outcome as ToolOutcome;
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  /**
   * `tools/call` as a task: resolves with the new task's record. The caller's signal cancels the
   * task (`tasks/cancel`), also when it aborts while the task is being created; an already aborted
   * signal starts nothing, as a plain call runs no handler.
   * @throws {CancelledError} when `local.signal` has already aborted.
   */
  startTask(params: Record<string, unknown>, local: LocalCall): Promise<TaskRecord> {
    const { signal } = local;
    if (signal?.aborted) {
      return Promise.reject(
        new CancelledError(`Tool ${quote(params.name)} was cancelled before its task started.`, {
          cause: signal.reason,
        }),
      );
    }
    const started = this.outcome<TaskRecord>("tools/call", params, local);
    // Not async, and without a signal nothing to follow: the record as it comes.
    if (signal === undefined) return started;
    return started.then((record) => {
      const cancel = (): void => {
        this.outcome("tasks/cancel", { taskId: record.taskId }, local).catch(() => undefined);
      };
      if (signal.aborted) cancel();
      else signal.addEventListener("abort", cancel, { once: true });
      return record;
    });
  }

  /**
   * `tasks/result` in-process: the final record and, when kept, the handler's own outcome. The
   * wait comes first, on the task runtime alone, and the request is sent once the task is
   * terminal (it answers at once then): the same answer and errors, but a caller awaiting each of
   * thousands of running tasks holds one reaction per task meanwhile, not a request scope and
   * three suspended frames (~2.7 KB per task, which a bench of 10,000 tasks keeps for its whole run).
   */
  taskResult(task: TaskRef, { owner, auth }: TaskOwnerOptions, timeout?: number): Promise<TaskResultOutcome> {
    const local: LocalCall = { owner, auth, timeout };
    try {
      const taskId = taskIdOf(task);
      return this.#core
        .taskRuntime()
        .whenTerminal(localOwner(local, this.owner), taskId, timeout)
        .then(() => this.outcome<TaskResultOutcome>("tasks/result", { taskId }, local));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A request on this session, not sent yet; `outcomeOnly` when the caller reads only its outcome. */
  open(method: string, params: Record<string, unknown>, local: LocalCall, outcomeOnly = false): RequestScope {
    const request = { jsonrpc: "2.0" as const, id: `local-${++this.#nextId}`, method, params };
    const scope = new RequestScope(this.#core, this, request, local);
    scope.outcomeOnly = outcomeOnly;
    return scope;
  }

  /**
   * Serves a request {@link open}ed here: its result (a promise of it, unless the handler
   * answered synchronously), or throws the error its handler threw.
   */
  serve(scope: RequestScope): Promise<Record<string, unknown>> | Record<string, unknown> {
    const signal = scope.local?.signal;
    return signal === undefined ? this.#dispatcher.serve(scope) : this.#serveFollowing(scope, signal);
  }

  /** The caller's signal aborts the request, as `notifications/cancelled` does a wire one. */
  async #serveFollowing(scope: RequestScope, signal: AbortSignal): Promise<Record<string, unknown>> {
    const follow = (): void => scope.abort(signal.reason);
    if (signal.aborted) follow();
    else signal.addEventListener("abort", follow, { once: true });
    try {
      return await this.#dispatcher.serve(scope);
    } finally {
      signal.removeEventListener("abort", follow);
    }
  }
}
