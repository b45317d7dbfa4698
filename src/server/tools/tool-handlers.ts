import { InvalidParamsError, MethodNotFoundError, ToolNotFoundError } from "../../protocol/protocol-error.js";
import { toTask } from "../../tasks/task-view.js";
import { withCacheHints } from "../cache-hints.js";
import {
  noCursor,
  objectParam,
  progressTokenOf,
  type RequestHandler,
  stringParam,
} from "../dispatch/request-handler.js";
import type { RequestScope } from "../dispatch/request-scope.js";
import { startExtensionTask } from "../tasks/task-extension-handlers.js";
import { type HeaderParam, paramHeaderError } from "./param-headers.js";
import type { RegisteredTool } from "./tool-registry.js";
import { settleToolResult } from "./tool-result.js";
import { assertToolArguments, runTool, type ToolOutcome } from "./tool-runner.js";
import { startToolTask } from "./tool-task.js";

/** `tools/list`: every tool the caller may use, at once (cached until the registry changes, without access rules). */
export const listTools: RequestHandler = (scope) => {
  noCursor(scope);
  const { core, auth } = scope;
  return withCacheHints({ tools: core.tools.visible(auth) }, core.tools.cacheHints(auth, core.cacheDefaults));
};

function ttlOf(task: Record<string, unknown>): number | null | undefined {
  const ttl = task.ttl;
  if (ttl === undefined || ttl === null || typeof ttl === "number") return ttl;
  throw new InvalidParamsError("task.ttl must be a number of milliseconds.", "invalid-ttl");
}

/**
 * `tools/call`: runs the tool now, or (with `params.task`, on revisions with Tasks) as a
 * background task answered at once with `CreateTaskResult`. On a revision with the tasks
 * extension the server decides instead: a task-supporting tool runs as a task when the request
 * declares the extension, and `params.task` means nothing. Progress goes to `_meta.progressToken`
 * in both cases; for a task, for its whole lifetime. The tool's task mode is enforced here, for
 * the wire and the in-process API alike. Arguments that break the tool's schema become an
 * `isError` result the model can read (SEP-1303).
 *
 * The scope's outcome is the tool's own outcome (value or error), or the task record: what the
 * in-process `callTool` returns.
 */
export const callTool: RequestHandler = (scope) => {
  const name = stringParam(scope, "name");
  scope.progressToken = progressTokenOf(scope);
  // A tool the caller may not use is unknown to it.
  const tool = scope.core.tools.find(name, scope.auth);
  if (tool === undefined) throw new ToolNotFoundError(name);
  assertToolArguments(name, scope.params.arguments);
  if (tool.headerParams !== undefined) checkParamHeaders(scope, tool.headerParams);
  const wire = scope.revision?.taskExtension;
  if (wire !== undefined && tool.taskSupport !== "forbidden") {
    if (wire.declaredBy(scope.session.clientCapabilities)) return startExtensionTask(scope, tool, wire);
    // The tool's `task` option means the same as on 2025-11-25: "required" never runs it inline.
    if (tool.taskSupport === "required")
      throw wire.missing(`Tool "${tool.name}" only runs as a task, so calling it`);
  }
  const tasksOn = scope.revision?.tasks === true;
  // Revisions without Tasks ignore params.task, as the spec requires of receivers without the capability.
  const task = tasksOn ? objectParam(scope, "task") : undefined;
  if (task !== undefined) return startTask(scope, tool, task);
  if (tasksOn && tool.taskSupport === "required") {
    throw new MethodNotFoundError(
      `Tool "${tool.name}" only runs as a task: call it with a task ("task" in params; { task: true } in-process).`,
      "task-required",
      { tool: tool.name },
    );
  }
  // Not async: a sync tool is answered without a promise of ours.
  const outcome = runTool(scope, tool);
  return outcome instanceof Promise
    ? outcome.then((ended) => answer(scope, tool, ended))
    : answer(scope, tool, outcome);
};

/**
 * A stateless revision's `tools/call` over HTTP mirrors each `x-mcp-header` argument in an
 * `Mcp-Param-*` header (SEP-2243): one missing or different is `-32020` (HTTP 400). Sessions
 * (2025 revisions), stdio and in-process calls have no such headers.
 */
function checkParamHeaders(scope: RequestScope, params: readonly HeaderParam[]): void {
  const http = scope.httpRequest;
  if (http === undefined || scope.revision?.stateless !== true) return;
  const args = (scope.params.arguments ?? {}) as Record<string, unknown>;
  const error = paramHeaderError(params, args, (name) => http.header(name));
  if (error !== undefined) throw error;
}

/** Keeps the outcome for the in-process API and, unless it only wants that, settles the result. */
function answer(scope: RequestScope, tool: RegisteredTool, outcome: ToolOutcome): Record<string, unknown> {
  scope.outcome = outcome;
  if (scope.outcomeOnly) return NO_RESULT;
  return settleToolResult(tool.name, outcome, scope.core.maskErrorDetails) as unknown as Record<
    string,
    unknown
  >;
}

/** What a `tools/call` whose caller reads only the outcome answers (nobody reads it). */
const NO_RESULT: Record<string, unknown> = Object.freeze({});

/**
 * `tools/call` with `params.task`: starts the background task and answers `CreateTaskResult`.
 * Not async: thousands of in-process task starts at once each held a suspended frame here.
 */
function startTask(
  scope: RequestScope,
  tool: RegisteredTool,
  task: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (tool.taskSupport === "forbidden") {
    throw new MethodNotFoundError(
      `Tool "${tool.name}" does not support task execution: call it without a task, or declare { task: true } on the tool.`,
      "task-not-supported",
      { tool: tool.name },
    );
  }
  return startToolTask(scope, tool, { ttl: ttlOf(task) }).then((record) => {
    scope.outcome = record;
    // The in-process caller builds its own view of the record.
    return scope.outcomeOnly ? NO_RESULT : { task: toTask(record) };
  });
}
