import type { ClientRequests } from "../../context/client-requests.js";
import type { Cancellation } from "../../context/context.js";
import type { ProgressToken } from "../../protocol/mcp-types.js";
import { InvalidParamsError, MethodNotFoundError, ToolNotFoundError } from "../../protocol/protocol-error.js";
import { toTask } from "../../tasks/task-view.js";
import { sessionClientRequests, withTaskStatus } from "../client-requester.js";
import { objectParam, type RequestCall, type RequestHandler, stringParam } from "../request-handler.js";
import type { RegisteredTool } from "../tool-registry.js";
import { settleToolResult } from "../tool-result.js";
import { runTool, type ToolInvocation } from "../tool-runner.js";
import { startToolTask } from "../tool-task.js";
import { WireLogSink, WireProgressSink } from "../wire-sinks.js";
import { progressTokenOf, WireRequestScope } from "./wire-call.js";

/** `tools/list`: every tool at once (the list is cached until the registry changes). */
export const listTools: RequestHandler = ({ core }) => ({ tools: core.tools.list() });

function ttlOf(task: Record<string, unknown>): number | null | undefined {
  const ttl = task.ttl;
  if (ttl === undefined || ttl === null || typeof ttl === "number") return ttl;
  throw new InvalidParamsError("task.ttl must be a number of milliseconds.", "invalid-ttl");
}

/**
 * An immediate `tools/call` as {@link runTool} sees it. Its log sink, progress sink and client
 * requester are built when the handler first uses `ctx.log`, progress or `ctx.sample`/`ctx.elicit`
 * (a fixed-shape object instead of a spread literal plus three objects per call).
 */
class WireToolInvocation extends WireRequestScope implements ToolInvocation {
  readonly tool: RegisteredTool;
  readonly args: unknown;
  readonly cancellation: Cancellation;

  constructor(call: RequestCall, tool: RegisteredTool, args: unknown, token: ProgressToken | undefined) {
    super(call, token);
    this.tool = tool;
    this.args = args;
    this.cancellation = call;
  }

  get client(): ClientRequests {
    return sessionClientRequests(this.session, this.requestId);
  }
}

/**
 * `tools/call`: runs the tool now, or (with `params.task`, on revisions with Tasks) as a
 * background task answered at once with `CreateTaskResult`. Progress goes to `_meta.progressToken`
 * in both cases; for a task, for its whole lifetime.
 */
export const callTool: RequestHandler = async (call: RequestCall) => {
  const { core, session } = call;
  const name = stringParam(call, "name");
  const args = objectParam(call, "arguments");
  const token = progressTokenOf(call);
  const tool = core.tools.get(name);
  if (tool === undefined) throw new ToolNotFoundError(name);
  const tasksOn = session.revision?.tasks === true;
  // Revisions without Tasks ignore params.task, as the spec requires of receivers without the capability.
  const task = tasksOn ? objectParam(call, "task") : undefined;
  if (task !== undefined) return startTask(call, tool, args, token, task);
  if (tasksOn && tool.taskSupport === "required") {
    throw new MethodNotFoundError(
      `Tool "${tool.name}" only runs as a task: call it with "task" in params.`,
      "task-required",
      {
        tool: tool.name,
      },
    );
  }
  const outcome = await runTool(new WireToolInvocation(call, tool, args, token));
  return settleToolResult(tool.name, outcome, core.maskErrorDetails) as unknown as Record<string, unknown>;
};

/** `tools/call` with `params.task`: starts the background task and answers `CreateTaskResult`. */
async function startTask(
  call: RequestCall,
  tool: RegisteredTool,
  args: Record<string, unknown> | undefined,
  token: ProgressToken | undefined,
  task: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { core, session, request } = call;
  if (tool.taskSupport === "forbidden") {
    throw new MethodNotFoundError(
      `Tool "${tool.name}" does not support task execution; call it without "task".`,
      "task-not-supported",
      {
        tool: tool.name,
      },
    );
  }
  // Task messages ride a pending tasks/result for this task when there is one (so they arrive
  // before its answer), else the session's standalone stream.
  let taskId: string | undefined;
  const taskStream = () => (taskId === undefined ? undefined : session.taskResultWaiters.get(taskId));
  const record = await startToolTask({
    runtime: core.taskRuntime(),
    tool,
    owner: session.owner,
    request: { ttl: ttlOf(task) },
    maskErrorDetails: core.maskErrorDetails,
    invocation: {
      args,
      requestId: request.id,
      serverName: core.name,
      sessionId: session.id,
      progressIntervalMs: core.progressIntervalMs,
      logLevel: session.logLevel,
      // After CreateTaskResult the request's stream is gone: task messages use the session's streams.
      progressSink: token === undefined ? undefined : new WireProgressSink(session, token, taskStream),
      logSink: new WireLogSink(session, taskStream),
    },
    // tasks/result answers from the stored result: the handler's own value need not be kept.
    keepLocalOutcome: false,
    clientFor: (taskId) =>
      withTaskStatus(
        sessionClientRequests(session, undefined, taskId),
        core.taskRuntime(),
        session.owner,
        taskId,
      ),
  });
  taskId = record.taskId;
  return { task: toTask(record) };
}
