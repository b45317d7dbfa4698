/**
 * The tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663) as the stateless revisions
 * carry it: how a stored task looks on that wire (a flat handle, a `DetailedTask` with its result
 * or error inline), how a request opts in, and the error for one that did not. What a task *is*
 * (the store, the status machine, progress) is the same as on 2025-11-25; only its shape differs,
 * and that shape lives here, next to the revision's other shapes.
 */

import { isObject } from "../is-object.js";
import type { CallToolResult } from "../mcp-types.js";
import { type JsonRpcErrorObject, ProtocolError } from "../protocol-error.js";

/** The extension's identifier, in `capabilities.extensions` of a request and of `server/discover`. */
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

/**
 * The `_meta` key under which this server puts a task's stored numeric progress on the task
 * handle and on `tasks/get` (the extension itself carries only `statusMessage`). A vendor key:
 * the spec reserves prefixes whose second label is `modelcontextprotocol` or `mcp`.
 */
export const PROGRESS_META_KEY = "dev.fastestmcp/progress";

/** A task's numeric progress as stored and as sent under {@link PROGRESS_META_KEY}. */
export interface TaskProgressView {
  current: number;
  total?: number;
  message?: string;
  /** When the update was accepted (ISO 8601). */
  reportedAt: string;
}

/**
 * What the extension's shapes are made from: a stored task record (structurally; the protocol
 * layer does not depend on the task store). Its status follows 2025-11-25, where a tool's
 * `isError` result ends the task `failed`.
 */
export interface TaskState {
  taskId: string;
  status: "working" | "input_required" | "completed" | "failed" | "cancelled";
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttl: number | null;
  pollInterval?: number;
  progress?: TaskProgressView;
  result?: CallToolResult;
  error?: JsonRpcErrorObject;
  /** What the task waits for while `input_required`, by key (`{ method, params }` each). */
  inputRequests?: Readonly<Record<string, { method: string; params: Record<string, unknown> }>>;
}

/**
 * Marks a handler's result with the `resultType` the stateless revisions send for it when it is
 * not the standard `"complete"`. A symbol, not a field: a tool's own result can never set it
 * (JSON has no symbols), so no `CallToolResult` is ever sent as a task handle by accident.
 */
export const RESULT_TYPE: unique symbol = Symbol("resultType");

/** Whether a stateless request's client capabilities declare the tasks extension. */
export function declaresTasks(clientCapabilities: Record<string, unknown> | undefined): boolean {
  const extensions = clientCapabilities?.extensions;
  return isObject(extensions) && isObject(extensions[TASKS_EXTENSION]);
}

/**
 * `-32021` (HTTP 400): serving the request needs the tasks extension, which its
 * `clientCapabilities` do not declare (`tasks/*`, or a tool that only runs as a task).
 */
export function missingTasksError(what: string): ProtocolError {
  return new ProtocolError(
    "missing-client-capability",
    `${what} needs the tasks extension: declare "${TASKS_EXTENSION}" under extensions in _meta["io.modelcontextprotocol/clientCapabilities"].`,
    { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
  );
}

/**
 * The status this wire reports: a tool that ran and reported an error (`isError`) is `completed`
 * here, with that result inline; `failed` is kept for JSON-RPC errors (SEP-2663).
 */
function statusOf(task: TaskState): TaskState["status"] {
  return task.status === "failed" && task.result !== undefined ? "completed" : task.status;
}

/** The fields every task shape has: the extension's `Task`, plus the stored progress in `_meta`. */
function baseOf(task: TaskState): Record<string, unknown> {
  const base: Record<string, unknown> = {
    taskId: task.taskId,
    status: statusOf(task),
    createdAt: task.createdAt,
    lastUpdatedAt: task.lastUpdatedAt,
    ttlMs: task.ttl,
  };
  if (task.statusMessage !== undefined) base.statusMessage = task.statusMessage;
  if (task.pollInterval !== undefined) base.pollIntervalMs = task.pollInterval;
  if (task.progress !== undefined) base._meta = { [PROGRESS_META_KEY]: { ...task.progress } };
  return base;
}

/**
 * `CreateTaskResult`: the flat handle a `tools/call` answers with (`resultType: "task"`). Only
 * the seed state: a result or error is read with `tasks/get`.
 */
export function taskHandle(task: TaskState): Record<string, unknown> {
  const handle = baseOf(task);
  (handle as Record<symbol, unknown>)[RESULT_TYPE] = "task";
  return handle;
}

/**
 * `tasks/get`'s `DetailedTask`: the task with what its status carries inline: the tool's result
 * once completed (without 2025's related-task `_meta`: the task id is at the root), the JSON-RPC
 * error once failed, the outstanding input requests while `input_required`.
 */
export function detailedTask(task: TaskState): Record<string, unknown> {
  const detailed = baseOf(task);
  const status = detailed.status;
  if (status === "completed" && task.result !== undefined) detailed.result = task.result;
  else if (status === "failed" && task.error !== undefined) detailed.error = task.error;
  // A task started on this wire lists what it waits for; one a 2025-11-25 session's handler
  // parked asked its own client (a real request on that session), which no tasks/update answers.
  else if (status === "input_required") detailed.inputRequests = { ...task.inputRequests };
  return detailed;
}

/**
 * The tasks extension as a revision's profile offers it (`ProtocolRevision.taskExtension`):
 * handlers ask the profile for these instead of asking which revision they serve.
 */
export interface TaskExtensionWire {
  /** The extension's identifier, as `server/discover` declares it. */
  readonly id: string;
  readonly declaredBy: (clientCapabilities: Record<string, unknown> | undefined) => boolean;
  readonly missing: (what: string) => ProtocolError;
  readonly handle: (task: TaskState) => Record<string, unknown>;
  readonly detailed: (task: TaskState) => Record<string, unknown>;
}

/** SEP-2663 as MCP 2026-07-28 carries it. */
export const TASKS_EXTENSION_WIRE: TaskExtensionWire = {
  id: TASKS_EXTENSION,
  declaredBy: declaresTasks,
  missing: missingTasksError,
  handle: taskHandle,
  detailed: detailedTask,
};
