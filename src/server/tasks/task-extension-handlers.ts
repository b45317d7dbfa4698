import { isObject } from "../../protocol/is-object.js";
import { InvalidParamsError } from "../../protocol/protocol-error.js";
import type { TaskExtensionWire } from "../../protocol/revisions/tasks-extension.js";
import { TaskTerminalError } from "../../tasks/task-errors.js";
import { stringParam } from "../dispatch/request-handler.js";
import type { RequestScope } from "../dispatch/request-scope.js";
import type { RegisteredTool } from "../tools/tool-registry.js";
import { startToolTask } from "../tools/tool-task.js";

// The tasks extension (SEP-2663) on a stateless revision: the same runtime and store as 2025's
// tasks/*, answered in the extension's shapes (which the revision's profile owns). A task belongs
// to the request's owner (its identity with auth; see docs/revisions.md), so a task a 2025-11-25
// session of the same identity started is reachable here too. Each handler leaves the record as
// the scope's outcome, as the 2025 handlers do.

/** The empty acknowledgement of `tasks/update` and `tasks/cancel` (`resultType` is added on the wire). */
const ACK: Readonly<Record<string, unknown>> = Object.freeze({});

/** -32021 unless the request declared the extension in its own `clientCapabilities`. */
function requireExtension(scope: RequestScope, wire: TaskExtensionWire): void {
  if (!wire.declaredBy(scope.session.clientCapabilities)) throw wire.missing(scope.request.method);
}

/**
 * `tools/call` of a task-supporting tool by a request that declared the extension: the server
 * decides, and it always makes a task of it. Answered with the flat handle once the record is
 * stored, so a `tasks/get` for it (on any instance sharing the store) finds it.
 */
export async function startExtensionTask(
  scope: RequestScope,
  tool: RegisteredTool,
  wire: TaskExtensionWire,
): Promise<Record<string, unknown>> {
  // The extension sends no notifications/progress for a task: its progress is read with
  // tasks/get (under the vendor _meta key), so none goes to the request's own response either.
  scope.progressToken = undefined;
  const record = await startToolTask(scope, tool, {});
  scope.outcome = record;
  return wire.handle(record);
}

/** `tasks/get`: the task, with its result or error inline once terminal, and its stored progress. */
export async function getDetailedTask(
  scope: RequestScope,
  wire: TaskExtensionWire,
): Promise<Record<string, unknown>> {
  requireExtension(scope, wire);
  const record = await scope.core.taskRuntime().get(scope.owner, stringParam(scope, "taskId"));
  scope.outcome = record;
  return wire.detailed(record);
}

/**
 * `tasks/cancel`: an empty acknowledgement, also for a task that already ended (idempotent; only
 * an unknown task is `-32602`). Cooperative as the spec allows, and here immediate: a running task
 * is `cancelled` before this answers and its handler's `ctx.signal` aborts.
 */
export async function cancelExtensionTask(
  scope: RequestScope,
  wire: TaskExtensionWire,
): Promise<Record<string, unknown>> {
  requireExtension(scope, wire);
  const taskId = stringParam(scope, "taskId");
  const runtime = scope.core.taskRuntime();
  try {
    scope.outcome = await runtime.cancel(scope.owner, taskId);
  } catch (error) {
    if (!(error instanceof TaskTerminalError)) throw error;
    scope.outcome = await runtime.get(scope.owner, taskId);
  }
  return ACK;
}

/**
 * `tasks/update`: delivers `inputResponses` to a task waiting in `input_required`, and
 * acknowledges (eventually consistent, as the spec allows). Responses for keys the task is not
 * waiting on are ignored, as the spec says a server should: an unknown key, an answered one, or
 * any key of a task that waits on nothing. A task running on another instance gets them over the
 * event bus, checked here first against the questions on its record.
 */
export async function updateTask(
  scope: RequestScope,
  wire: TaskExtensionWire,
): Promise<Record<string, unknown>> {
  requireExtension(scope, wire);
  const taskId = stringParam(scope, "taskId");
  const responses = inputResponsesOf(scope);
  const runtime = scope.core.taskRuntime();
  // The owner's check: another owner's task is unknown here.
  const record = await runtime.get(scope.owner, taskId);
  scope.outcome = record;
  // Answers go to the asks the task's run waits on, here or in another process (see TaskInputs);
  // a task a 2025-11-25 session parked waits for that session's client, not for these.
  await runtime.inputs.deliver(taskId, responses, record);
  return ACK;
}

/**
 * `params.inputResponses`: an object mapping each request key to the client's answer (a result
 * object, as in the multi round-trip requests of the stateless revision).
 * @throws {InvalidParamsError} `invalid-params` (-32602) when missing or malformed.
 */
function inputResponsesOf(scope: RequestScope): Record<string, Record<string, unknown>> {
  const responses = scope.params.inputResponses;
  if (!isObject(responses)) {
    throw new InvalidParamsError(
      'tasks/update needs "inputResponses" as an object mapping each input request key to its answer.',
      "invalid-params",
      { parameter: "inputResponses" },
    );
  }
  for (const [key, answer] of Object.entries(responses)) {
    if (!isObject(answer)) {
      throw new InvalidParamsError(
        `tasks/update needs every inputResponses entry to be an object (the answer to that request), but "${key}" is not.`,
        "invalid-params",
        { parameter: "inputResponses", key },
      );
    }
  }
  return responses as Record<string, Record<string, unknown>>;
}
