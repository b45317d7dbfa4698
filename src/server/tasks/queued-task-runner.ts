import type { ClientRequests } from "../../context/client-requests.js";
import { FastestMcpError } from "../../errors.js";
import type { TaskJob, TaskJobRunner } from "../../tasks/task-queue.js";
import { ToolUnknownHereError } from "../../tasks/task-queue.js";
import type { LocalCall } from "../call-options.js";
import type { ServerState } from "../server-state.js";
import type { LocalSession } from "../session/local-session.js";
import { runTool } from "../tools/tool-runner.js";
import { taskOutcome } from "../tools/tool-task.js";
import type { QueuedCall } from "./queued-job.js";

/**
 * Runs the jobs a worker of this server takes: each job's tool, from this server's registry,
 * as a task of this server's runtime (see QueuedTasks), with a Context rebuilt from the job. The
 * request is one of the in-process session's, acting for the job's owner and identity: progress
 * goes to the task record (and from there, through the event bus, to the caller's instance), log
 * entries to the task's log events, and the outcome is stored as an in-process run stores it.
 */
export class QueuedTaskRunner implements TaskJobRunner {
  readonly #core: ServerState;
  readonly #session: LocalSession;

  constructor(core: ServerState, session: LocalSession) {
    this.#core = core;
    this.#session = session;
  }

  run(job: TaskJob): Promise<void> {
    const core = this.#core;
    const queue = core.taskRuntime().queue;
    // The access rules were checked where the call was accepted.
    const tool = core.tools.get(job.toolName);
    if (queue === undefined || tool === undefined)
      return Promise.reject(new ToolUnknownHereError(job.toolName));
    const call = job.call as QueuedCall;
    const local: LocalCall = {
      owner: job.owner,
      auth: call.auth,
      logLevel: call.logLevel,
      taskClient: this.#clientOf(job, call),
    };
    const params = { name: job.toolName, arguments: job.arguments };
    const scope = this.#session.open("tools/call", params, local);
    const settle = taskOutcome(tool, core.maskErrorDetails, false);
    return queue.run(job, ({ taskId, cancellation, progressSink }) => {
      const outcome = runTool(scope.forTask(taskId, cancellation, progressSink), tool, settle);
      return outcome instanceof Promise ? outcome : Promise.resolve(outcome);
    });
  }

  interrupted(job: TaskJob, statusMessage: string): Promise<void> {
    return this.#core.taskRuntime().queue?.interrupted(job.taskId, statusMessage) ?? Promise.resolve();
  }

  abandon(taskId: string): void {
    this.#core.taskRuntime().queue?.abandon(taskId);
  }

  /**
   * The handler's client requests. A stateless revision's task asks through its record, which
   * any instance can show and `tasks/update` answers (TaskInputs, on the instance running it);
   * a 2025-11-25 session's client is reached only on its own connection, which a worker does
   * not hold, so asks fail with `FMCP_ERR_CLIENT_UNREACHABLE` (docs/queue.md).
   */
  #clientOf(job: TaskJob, call: QueuedCall): ClientRequests {
    const capabilities = call.clientCapabilities ?? {};
    const base: ClientRequests = {
      capabilities,
      request: (method) =>
        Promise.reject(
          new FastestMcpError(
            "FMCP_ERR_CLIENT_UNREACHABLE",
            `Task ${job.taskId} runs on a job queue's worker, which cannot send ${method} to the client ` +
              "that started it (only the instance holding its session can): ask before queuing (the " +
              "tool's task.prepare) or use the 2026-07-28 tasks extension, whose asks wait for tasks/update.",
          ),
        ),
    };
    if (call.stateless !== true) return base;
    return this.#core.taskRuntime().inputs.requestsOf(job.owner, job.taskId, base);
  }
}
