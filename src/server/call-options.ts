import { identityKey } from "../auth/identity.js";
import type { ClientRequests } from "../context/client-requests.js";
import type { LogEntry } from "../context/logger.js";
import type { ProgressUpdate } from "../context/progress-sink.js";
import type { AuthInfo } from "../protocol/auth-info.js";
import type { LogLevel } from "../protocol/mcp-types.js";
import type { LocalClientHandlers } from "./session/client-requests.js";
import type { TaskRequest } from "./tools/tool-task.js";

/** The owner of tasks started in-process when no `owner` is given. */
export const LOCAL_OWNER = "local";

/** A task, or its id. */
export type TaskRef = string | { taskId: string };

/** The id of a {@link TaskRef}. */
export function taskIdOf(task: TaskRef): string {
  return typeof task === "string" ? task : task.taskId;
}

/**
 * Acts as a caller with this identity, as if it had come with a verified token: `ctx.auth` is it,
 * components it may not use are unknown, and its tasks are the identity's (docs/auth.md).
 */
export interface AuthOption {
  auth?: AuthInfo;
}

/**
 * Whose tasks an in-process task call addresses: `owner`, else the `auth` identity's, else
 * {@link LOCAL_OWNER}.
 */
export interface TaskOwnerOptions extends AuthOption {
  owner?: string;
}

/** Options of an in-process `callTool` / `callToolResult`. */
export interface CallToolOptions extends AuthOption {
  /** Receives the request's progress (coalesced; the final state always arrives before the call settles). */
  onProgress?: (update: ProgressUpdate) => void;
  /** Receives the handler's `ctx.log` entries at or above `logLevel`. */
  onLog?: (entry: LogEntry) => void;
  /** Lowest level passed to `onLog` (default `"debug"`). */
  logLevel?: LogLevel;
  /** Cancels the call: `ctx.signal` aborts and the call rejects with a `CancelledError`. */
  signal?: AbortSignal;
  /** Milliseconds before the call fails with a `RequestTimeoutError` (the tool's own `timeout` still applies). */
  timeout?: number;
  /** Answers the handler's `ctx.sample` in-process (as a client's model would). */
  samplingHandler?: LocalClientHandlers["samplingHandler"];
  /** Answers the handler's `ctx.elicit` in-process (as a client's user would). */
  elicitationHandler?: LocalClientHandlers["elicitationHandler"];
  /** Answers the handler's `ctx.listRoots` in-process (as a client listing its roots would). */
  rootsHandler?: LocalClientHandlers["rootsHandler"];
}

/** Options of an in-process call that runs as a background task. */
export interface CallToolAsTaskOptions extends CallToolOptions, TaskOwnerOptions {
  /** Run as a task: `true`, or task parameters such as a requested `ttl`. */
  task: true | TaskRequest;
}

/**
 * @internal What an in-process caller gives a request besides its params, carried on the request
 * scope as `local` (no JSON on the way): callbacks, signal, time limit, client stand-ins and the
 * task owner. Usually the caller's own options object.
 */
export interface LocalCall extends CallToolOptions, TaskOwnerOptions {
  /** `tasks/list` page size (the wire leaves it to the server). */
  pageSize?: number | undefined;
  /** A queued task's client requests, as its worker can serve them (see queued-task-runner.ts). */
  taskClient?: ClientRequests | undefined;
}

/**
 * Whose tasks an in-process call addresses: its `owner`, else its `auth` identity's, else
 * `sessionOwner` (the local session's, {@link LOCAL_OWNER}).
 */
export function localOwner(local: LocalCall, sessionOwner: string): string {
  if (local.owner !== undefined) return local.owner;
  return local.auth === undefined ? sessionOwner : identityKey(local.auth);
}

/** @internal The options of a call that passed none: one shared object, not one per call. */
export const NO_LOCAL_OPTIONS: LocalCall = Object.freeze({});

/** Options of an in-process `readResource` / `getPrompt`. */
export interface LocalRequestOptions extends AuthOption {
  /** Receives the handler's progress. */
  onProgress?: (update: ProgressUpdate) => void;
  /** Receives the handler's `ctx.log` entries at or above `logLevel`. */
  onLog?: (entry: LogEntry) => void;
  /** Lowest level passed to `onLog` (default `"debug"`). */
  logLevel?: LogLevel;
  /** Cancels the call: `ctx.signal` aborts and the call rejects with a `CancelledError`. */
  signal?: AbortSignal;
}
