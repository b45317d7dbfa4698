import {
  errorResponse,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  resultResponse,
} from "../protocol/jsonrpc.js";
import { isProtocolError, MethodNotFoundError } from "../protocol/protocol-error.js";
import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import type { ClientOptions, LogMessage } from "./client.js";
import type { PendingRequests, ProgressEvent } from "./pending-requests.js";
import type { RemoteTaskState } from "./remote-task.js";
import { taskStateOf } from "./revision/stateless-tasks.js";
import { taskProgressOf } from "./task-progress.js";

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

/** The capabilities a client declares: its own, plus those its handlers imply. */
export function declaredCapabilities(options: ClientOptions): Record<string, unknown> {
  const capabilities: Record<string, unknown> = { ...options.capabilities };
  if (options.samplingHandler !== undefined) capabilities.sampling ??= {};
  if (options.elicitationHandler !== undefined) capabilities.elicitation ??= { form: {} };
  if (options.rootsHandler !== undefined) capabilities.roots ??= {};
  return capabilities;
}

/**
 * What the server says to the client on its own: notifications (progress, logs, task status,
 * resource and list changes) go to the client's handlers; requests (ping, sampling, elicitation)
 * are answered.
 */
export class IncomingRouter {
  readonly #options: ClientOptions;
  readonly #pending: PendingRequests;
  readonly #send: (message: JsonRpcMessage) => void;
  readonly #logger: DiagnosticLogger;

  constructor(options: ClientOptions, pending: PendingRequests, send: (message: JsonRpcMessage) => void) {
    this.#options = options;
    this.#logger = options.logger ?? stderrLogger;
    this.#pending = pending;
    this.#send = send;
  }

  /** Handles one notification from the server. */
  notification(message: JsonRpcNotification): void {
    const params = message.params ?? {};
    try {
      switch (message.method) {
        case "notifications/progress":
          this.#progress(params.progressToken as string | number, params);
          return;
        case "notifications/message":
          this.#options.logHandler?.(params as unknown as LogMessage);
          return;
        case "notifications/tasks/status": {
          const task = params as unknown as RemoteTaskState;
          if (typeof task.taskId === "string") this.#pending.taskActivity(task.taskId);
          this.#options.taskStatusHandler?.(task);
          if (TERMINAL.has(task.status)) {
            const token = this.#pending.tokenOfTask(task.taskId);
            if (token !== undefined) this.#pending.unroute(token);
          }
          return;
        }
        case "notifications/resources/updated":
          if (typeof params.uri === "string") this.#options.resourceUpdatedHandler?.(params.uri);
          return;
        case "notifications/tools/list_changed":
        case "notifications/resources/list_changed":
        case "notifications/prompts/list_changed":
          this.#options.listChangedHandler?.(
            message.method.split("/")[1] as "tools" | "resources" | "prompts",
          );
          return;
        default:
          return;
      }
    } catch (error) {
      this.#logger.error("client handler threw", { method: message.method, error });
    }
  }

  /**
   * A task's state from a 2026-07-28 `tasks/get` (or its handle): the numeric progress this
   * framework's servers keep under `dev.fastestmcp/progress` goes to the call's `onProgress` and
   * `progressHandler` as ordinary progress, once per change (polls repeat it); a terminal state
   * ends the task's progress route, as `notifications/tasks/status` does on 2025-11-25, and each
   * change of status goes to `taskStatusHandler` as that notification would.
   */
  taskSeen(taskId: string, wire: Record<string, unknown>): void {
    const token = this.#pending.tokenOfTask(taskId);
    if (token === undefined) return;
    const view = taskProgressOf(wire);
    const route = this.#pending.routeOf(token);
    const seen =
      view === undefined ? undefined : `${view.reportedAt}|${view.current}|${view.total}|${view.message}`;
    if (view !== undefined && route !== undefined && route.lastSeen !== seen) {
      route.lastSeen = seen;
      try {
        this.#progress(token, { progress: view.current, total: view.total, message: view.message });
      } catch (error) {
        this.#logger.error("client handler threw", { method: "tasks/get", error });
      }
    }
    // No notifications/tasks/status on this revision: a polled change of status stands for one.
    if (route !== undefined && route.lastStatus !== wire.status) {
      route.lastStatus = wire.status as string;
      try {
        this.#options.taskStatusHandler?.(taskStateOf(wire));
      } catch (error) {
        this.#logger.error("client handler threw", { method: "tasks/get", error });
      }
    }
    if (TERMINAL.has(wire.status as string)) this.#pending.unroute(token);
  }

  /** Hands one progress report to its call's `onProgress` and to `progressHandler`. */
  #progress(token: string | number, params: Record<string, unknown>): void {
    const route = this.#pending.routeOf(token);
    if (route === undefined) return;
    const event: ProgressEvent = {
      progressToken: token,
      progress: params.progress as number,
      requestId: route.requestId,
    };
    if (typeof params.total === "number") event.total = params.total;
    if (typeof params.message === "string") event.message = params.message;
    if (route.taskId !== undefined) event.taskId = route.taskId;
    this.#pending.get(route.requestId)?.touch();
    if (route.taskId !== undefined) this.#pending.taskActivity(route.taskId);
    route.onProgress?.(event);
    this.#options.progressHandler?.(event);
  }

  /** Answers one request from the server (ping, sampling, elicitation, roots). */
  serverRequest(request: JsonRpcRequest): void {
    const id: JsonRpcId = request.id;
    const handler =
      request.method === "ping"
        ? () => ({})
        : request.method === "sampling/createMessage"
          ? this.#options.samplingHandler
          : request.method === "elicitation/create"
            ? this.#options.elicitationHandler
            : request.method === "roots/list"
              ? this.#options.rootsHandler
              : undefined;
    if (handler === undefined) {
      this.#send(
        errorResponse(
          id,
          new MethodNotFoundError(`This client does not handle "${request.method}".`).toJSON(),
        ),
      );
      return;
    }
    Promise.resolve()
      .then(() => handler(request.params ?? {}))
      .then(
        (result) => this.#send(resultResponse(id, result)),
        (error: unknown) =>
          this.#send(
            errorResponse(id, {
              code: isProtocolError(error) ? error.code : -32603,
              message: error instanceof Error ? error.message : String(error),
            }),
          ),
      );
  }
}
