import { describe, expect, it } from "vitest";
import { Cancellation } from "../../../src/context/cancellation.js";
import { Context } from "../../../src/context/context.js";
import type { LogEntry } from "../../../src/context/logger.js";
import type { ProgressUpdate } from "../../../src/context/progress-sink.js";
import { FastestMCP } from "../../../src/fastestmcp.js";
import type { JsonRpcId, JsonRpcMessage } from "../../../src/protocol/jsonrpc.js";
import { REVISIONS, STATELESS_REVISIONS } from "../../../src/protocol/revisions.js";
import { JsonSchemaCompiler } from "../../../src/schema/json-schema.js";
import { DEFAULT_CACHE_HINTS } from "../../../src/server/cache-hints.js";
import type { LocalCall } from "../../../src/server/call-options.js";
import { Dispatcher } from "../../../src/server/dispatch/dispatcher.js";
import { RequestScope } from "../../../src/server/dispatch/request-scope.js";
import { PromptRegistry } from "../../../src/server/prompts/prompt-registry.js";
import { ResourceRegistry } from "../../../src/server/resources/resource-registry.js";
import { ROUTES } from "../../../src/server/routes.js";
import type { ServerState } from "../../../src/server/server-state.js";
import { RequestStateSeal } from "../../../src/server/session/request-state.js";
import { Session } from "../../../src/server/session/session.js";
import { LocalSubscriptionHub } from "../../../src/server/subscriptions/subscription-hub.js";
import { QueuedTaskRelay } from "../../../src/server/tasks/queued-task-relay.js";
import { ToolRegistry } from "../../../src/server/tools/tool-registry.js";
import { stderrLogger } from "../../../src/util/diagnostics.js";
import { runtimesClosedAfterEach } from "../../tasks/runtimes.js";
import { openSession, tick } from "../session/session-harness.js";

const runtime = runtimesClosedAfterEach();

/** A server core made of the real parts, and a session on it that records what it sends. */
function sessionOnCore(progressIntervalMs = 0) {
  const tasks = runtime();
  const core: ServerState = {
    name: "scope",
    version: "1",
    serverInfo: { name: "scope", version: "1" },
    inputRequired: { seal: new RequestStateSeal(), serverInfo: { name: "scope", version: "1" } },
    options: {},
    tools: new ToolRegistry(new JsonSchemaCompiler()),
    resources: new ResourceRegistry(),
    prompts: new PromptRegistry(),
    progressIntervalMs,
    maskErrorDetails: false,
    logger: stderrLogger,
    revisions: { legacy: REVISIONS, stateless: STATELESS_REVISIONS },
    subscriptions: new LocalSubscriptionHub(),
    cacheDefaults: DEFAULT_CACHE_HINTS,
    taskRuntime: () => tasks,
    queuedRelay: new QueuedTaskRelay(tasks),
  };
  const sent: Array<{ message: JsonRpcMessage & { params?: Record<string, unknown> }; related?: JsonRpcId }> =
    [];
  const session = new Session("s1", new Dispatcher(core, ROUTES), {
    send: (message, related) => sent.push({ message, related }),
  });
  const scope = (local?: LocalCall) =>
    new RequestScope(core, session, { jsonrpc: "2.0", id: 7, method: "tools/call", params: {} }, local);
  return { core, session, sent, scope };
}

describe("RequestScope", () => {
  it("builds its sinks once: a second read of the progress sink sends no duplicate progress", () => {
    const { sent, scope: open } = sessionOnCore();
    const scope = open();
    scope.progressToken = "p";
    expect(scope.progressSink).toBe(scope.progressSink);
    scope.progressSink?.onProgress({ current: 1, reportedAt: "" });
    scope.progressSink?.onProgress({ current: 1, reportedAt: "" });
    scope.progressSink?.onProgress({ current: 2, reportedAt: "" });
    expect(sent.map((s) => s.message.params?.progress)).toEqual([1, 2]);
    expect(sent.map((s) => s.related)).toEqual([7, 7]);
    expect(scope.logSink).toBe(scope.logSink);
  });

  it("builds the logger, tracker and client once, on first use", () => {
    const { scope: open } = sessionOnCore();
    const scope = open();
    const ctx = new Context(scope);
    expect(ctx.log).toBe(ctx.log);
    expect(ctx.progress()).toBe(ctx.progress());
    expect(scope.tracker).toBe(scope.tracker);
    expect(scope.client).toBe(scope.client);
    expect(ctx.signal).toBe(ctx.signal);
    expect(ctx.signal.aborted).toBe(false);
    expect([ctx.requestId, ctx.sessionId, ctx.serverName, ctx.taskId]).toEqual([7, "s1", "scope", undefined]);
  });

  it("is the handler's cancellation: abort reaches ctx.signal; only cancel means no answer", () => {
    const { scope: open } = sessionOnCore();
    const timedOut = open();
    const ctx = new Context(timedOut);
    timedOut.abort("why");
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx.signal.reason).toBe("why");
    expect(timedOut.cancelled).toBe(false);
    const cancelled = open();
    cancelled.cancel("client");
    expect([cancelled.aborted, cancelled.cancelled, cancelled.reason]).toEqual([true, true, "client"]);
  });

  it("delivers the final progress on close, and a tracker first used after close takes no updates", async () => {
    const updates: ProgressUpdate[] = [];
    const { scope: open } = sessionOnCore(1000);
    const local: LocalCall = { onProgress: (u) => updates.push(u) };
    const used = open(local);
    await new Context(used).reportProgress(1);
    used.close();
    expect(updates.map((u) => u.current)).toEqual([1]);

    const unused = open(local);
    const late = new Context(unused);
    unused.close();
    await expect(late.reportProgress(1)).rejects.toMatchObject({ reason: "progress-after-completion" });
    expect(() => late.progress().increment()).toThrow(/after the request completed/);
  });

  it("sends an in-process request's progress and logs to the caller's callbacks, not the session", async () => {
    const updates: ProgressUpdate[] = [];
    const entries: LogEntry[] = [];
    const { sent, scope: open } = sessionOnCore();
    const scope = open({
      onProgress: (u) => updates.push(u),
      onLog: (e) => entries.push(e),
      logLevel: "info",
    });
    const ctx = new Context(scope);
    expect(ctx.sessionId).toBeUndefined();
    ctx.log.debug("dropped");
    ctx.log.info("kept");
    await ctx.reportProgress(1, 2);
    scope.close();
    expect(updates.map((u) => [u.current, u.total])).toEqual([[1, 2]]);
    expect(entries.map((e) => e.message)).toEqual(["kept"]);
    expect(sent).toEqual([]);
    expect(scope.client).toBeUndefined();
  });

  it("gives a task a scope of its own: the task's cancellation aborts it, progress reaches the record's sink too", async () => {
    const { scope: open } = sessionOnCore();
    const request = open();
    request.progressToken = "p";
    const stored: ProgressUpdate[] = [];
    const cancellation = new Cancellation();
    const task = request.forTask("t1", cancellation, { onProgress: (u) => stored.push(u) });
    expect(task).not.toBe(request);
    expect(task.taskId).toBe("t1");
    expect(task.progressToken).toBe("p");
    await new Context(task).reportProgress(1);
    cancellation.abort("cancelled");
    expect([task.aborted, task.reason, request.aborted]).toEqual([true, "cancelled", false]);
    task.close();
    expect(stored.map((u) => u.current)).toEqual([1]);
  });

  it("unhooks a finished task's scope from the task's cancellation, which the runtime keeps", () => {
    const { scope: open } = sessionOnCore();
    const cancellation = new Cancellation();
    const task = open().forTask("t2", cancellation, { onProgress: () => undefined });
    task.close();
    cancellation.abort("later");
    expect(task.aborted).toBe(false);
  });
});

describe("tools/call over a session", () => {
  it("gives ctx.signal, ctx.log and progress to a wire tool, and answers plain sync tools", async () => {
    let signal: AbortSignal | undefined;
    const server = FastestMCP.server("lazy", { progressIntervalMs: 0 })
      .addTool("echo", ({ text }) => String(text))
      .addTool("chatty", async (_args, ctx) => {
        signal = ctx.signal;
        ctx.log.info("hi");
        await ctx.reportProgress(1, 2);
        return "done";
      });
    const { request, init, notifications } = openSession(server);
    await init();
    const echo = await request("tools/call", { name: "echo", arguments: { text: "x" } });
    expect(echo.result).toEqual({ content: [{ type: "text", text: "x" }] });
    const chatty = await request("tools/call", {
      name: "chatty",
      arguments: {},
      _meta: { progressToken: "p" },
    });
    await tick();
    expect(chatty.result).toEqual({ content: [{ type: "text", text: "done" }] });
    expect(signal?.aborted).toBe(false);
    expect(notifications("notifications/message")).toHaveLength(1);
    expect(notifications("notifications/progress").map((s) => s.message.params)).toEqual([
      { progressToken: "p", progress: 1, total: 2 },
    ]);
    await server.close();
  });

  it("aborts ctx.signal when the session ends during a call that never read it before", async () => {
    let release: (() => void) | undefined;
    let ctxSignal: AbortSignal | undefined;
    const server = FastestMCP.server("lazy").addTool("wait", (_args, ctx) => {
      return new Promise<string>((resolve) => {
        release = () => {
          ctxSignal = ctx.signal;
          resolve("late");
        };
      });
    });
    const { session, request, init } = openSession(server);
    await init();
    const pending = request("tools/call", { name: "wait", arguments: {} });
    await tick();
    session.close();
    release?.();
    expect(await pending).toBeUndefined();
    expect(ctxSignal?.aborted).toBe(true);
    await server.close();
  });
});
