import type { LogSink } from "../../context/logger.js";
import type { ProgressSink } from "../../context/progress-sink.js";
import type { AuthInfo } from "../../protocol/auth-info.js";
import type { LogLevel } from "../../protocol/mcp-types.js";
import type { TaskJob } from "../../tasks/task-queue.js";
import type { LocalCall } from "../call-options.js";
import type { RequestScope } from "../dispatch/request-scope.js";
import { WireLogSink, WireProgressSink } from "../dispatch/wire-sinks.js";
import type { RegisteredTool } from "../tools/tool-registry.js";

/**
 * What a queued task's handler Context reads about the call that started it, carried in the job
 * (`TaskJob.call`, JSON): whatever else the Context offers is rebuilt on the worker.
 */
export type QueuedCall = {
  /** The caller's identity (`ctx.auth`): the verified token's subject, scopes and claims, never the token. */
  auth?: AuthInfo | undefined;
  /** The lowest `ctx.log` level the caller takes (its session's `logging/setLevel`, or `logLevel` in-process). */
  logLevel?: LogLevel | undefined;
  /** What the client declared it can answer (`ctx.elicit`, `ctx.sample`, `ctx.listRoots`). */
  clientCapabilities?: Record<string, unknown> | undefined;
  /**
   * The call came on a stateless revision with the tasks extension: the handler's asks park the
   * task in `input_required`, answered by `tasks/update`.
   */
  stateless?: true | undefined;
};

/**
 * The job of a task `scope` starts (with `args` from the tool's `task.prepare`, if it has one),
 * made once the record exists: its progress and logs are routed back to the caller from then on
 * (see QueuedTaskRelay), since the handler runs wherever a worker takes the job.
 */
export function queuedJob(
  scope: RequestScope,
  tool: RegisteredTool,
  args: Record<string, unknown> | undefined,
): (taskId: string) => Omit<TaskJob, "taskId" | "owner" | "toolName"> {
  return (taskId) => {
    const { local, session } = scope;
    const stateless = local === undefined && session.revision?.stateless === true;
    routeBack(scope, taskId, stateless);
    const call: QueuedCall = {
      auth: scope.auth,
      logLevel: local === undefined ? session.logLevel : local.logLevel,
      clientCapabilities: local === undefined ? session.clientCapabilities : localCapabilities(local),
      stateless: stateless ? true : undefined,
    };
    return {
      arguments: args ?? (scope.params.arguments as Record<string, unknown> | undefined) ?? {},
      idempotent: tool.definition.annotations?.idempotentHint === true,
      call: JSON.parse(JSON.stringify(call)) as Record<string, unknown>,
    };
  };
}

/** What an in-process caller's client stand-ins declare (they cannot answer from a worker, though). */
function localCapabilities(local: LocalCall): Record<string, unknown> {
  const capabilities: Record<string, unknown> = {};
  if (local.samplingHandler !== undefined) capabilities.sampling = {};
  if (local.elicitationHandler !== undefined) capabilities.elicitation = { form: {} };
  if (local.rootsHandler !== undefined) capabilities.roots = {};
  return capabilities;
}

/**
 * Where the task's progress and logs go here, as they would from a handler running here: the
 * in-process caller's `onProgress` / `onLog`, or a 2025 session's progress token and log stream
 * (on a pending `tasks/result` for the task when there is one). A stateless revision's caller
 * reads progress with `tasks/get`: nothing is routed, but the route marks the task as one whose
 * status this instance announces (to an identity's 2025 sessions).
 */
function routeBack(scope: RequestScope, taskId: string, stateless: boolean): void {
  const { local, session, progressToken } = scope;
  if (local !== undefined) {
    const progress = local.onProgress === undefined ? undefined : (local as ProgressSink);
    scope.core.queuedRelay.add(taskId, progress, local.onLog === undefined ? undefined : (local as LogSink));
    return;
  }
  if (stateless) {
    scope.core.queuedRelay.add(taskId, undefined, undefined);
    return;
  }
  const related = () => session.taskResultWaiters.get(taskId);
  const progress =
    progressToken === undefined ? undefined : new WireProgressSink(session, progressToken, related);
  scope.core.queuedRelay.add(taskId, progress, new WireLogSink(session, related), () => !session.closed);
}
