import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { createDeferred } from "../../../src/util/deferred.js";
import { abortControllersBuiltBy } from "../../abort-controllers.js";
import { openSession, type SentMessage } from "../session/session-harness.js";

type Sent = SentMessage;

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function harness(server: FastestMCP) {
  servers.push(server);
  return openSession(server);
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
};

function demoServer() {
  return FastestMCP.server("wire", { version: "2.0.0", progressIntervalMs: 0, instructions: "Be nice." })
    .addTool("echo", ({ text }) => String(text), { description: "Echoes" })
    .addTool(
      "steps",
      async (_args, ctx) => {
        ctx.log.info("starting");
        const progress = ctx.progress().setTotal(3);
        for (let i = 1; i <= 3; i++) {
          progress.increment().setMessage(`step ${i}`);
          await new Promise((r) => setTimeout(r, 1));
        }
        ctx.log.debug("done", { steps: 3 });
        return { steps: 3 };
      },
      { task: true },
    )
    .addTool(
      "hang",
      (_args, ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
      {
        task: true,
      },
    )
    .addTool("only-task", () => "ok", { task: { mode: "required" } });
}

describe("Dispatcher lifecycle", () => {
  it("negotiates 2025-11-25 and declares tools, logging and tasks", async () => {
    const { init } = harness(demoServer());
    const response = await init();
    expect(response.result).toEqual({
      protocolVersion: "2025-11-25",
      capabilities: {
        tools: { listChanged: true },
        logging: {},
        tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
      },
      serverInfo: { name: "wire", version: "2.0.0" },
      instructions: "Be nice.",
    });
  });

  it("speaks 2025-06-18 without tasks, and answers an unknown version with its latest", async () => {
    const older = harness(demoServer());
    expect((await older.init("2025-06-18")).result).toMatchObject({ protocolVersion: "2025-06-18" });
    expect((await older.init("2025-06-18")).error?.code).toBe(-32600);
    expect((await older.request("initialize", {})).error?.code).toBe(-32600);
    expect((await older.request("tasks/list")).error?.code).toBe(-32601);
    const future = harness(demoServer());
    expect((await future.init("2099-01-01")).result?.protocolVersion).toBe("2025-11-25");
  });

  it("rejects requests before initialize with -32600 but answers ping", async () => {
    const { request } = harness(demoServer());
    expect((await request("tools/list")).error).toMatchObject({
      code: -32600,
      data: { reason: "not-initialized" },
    });
    expect((await request("ping")).result).toEqual({});
  });

  it("rejects an initialize without protocolVersion or clientInfo with -32602", async () => {
    const { request } = harness(demoServer());
    expect((await request("initialize", { clientInfo: { name: "x" } })).error?.code).toBe(-32602);
    expect((await request("initialize", { protocolVersion: "2025-11-25" })).error?.code).toBe(-32602);
  });

  it("answers unknown methods with -32601, including prototype names", async () => {
    const { init, request } = harness(demoServer());
    await init();
    for (const method of ["nope/nothing", "constructor", "__proto__", "toString"]) {
      expect((await request(method)).error).toMatchObject({ code: -32601 });
    }
  });

  it("sets the log level and rejects unknown levels", async () => {
    const { init, request, session } = harness(demoServer());
    await init();
    expect((await request("logging/setLevel", { level: "warning" })).result).toEqual({});
    expect(session.logLevel).toBe("warning");
    expect((await request("logging/setLevel", { level: "loud" })).error?.code).toBe(-32602);
  });
});

describe("Dispatcher tools", () => {
  it("lists tools with their task support", async () => {
    const { init, request } = harness(demoServer());
    await init();
    const { tools } = (await request("tools/list")).result as { tools: Array<Record<string, unknown>> };
    expect(
      tools.map((t) => [t.name, (t.execution as { taskSupport?: string } | undefined)?.taskSupport]),
    ).toEqual([
      ["echo", undefined],
      ["steps", "optional"],
      ["hang", "optional"],
      ["only-task", "required"],
    ]);
  });

  it("calls a tool and answers an unknown tool with a -32602 JSON-RPC error", async () => {
    const { init, request } = harness(demoServer());
    await init();
    expect((await request("tools/call", { name: "echo", arguments: { text: "hi" } })).result).toEqual({
      content: [{ type: "text", text: "hi" }],
    });
    const unknown = await request("tools/call", { name: "missing" });
    expect(unknown.error).toMatchObject({
      code: -32602,
      data: { reason: "tool-not-found", tool: "missing" },
    });
    expect((await request("tools/call", { arguments: {} })).error?.code).toBe(-32602);
    expect((await request("tools/call", { name: "echo", arguments: [1] })).error?.code).toBe(-32602);
  });

  it("sends progress and logs on the request's stream before the response", async () => {
    const { init, request, sent } = harness(demoServer());
    await init();
    const response = await request(
      "tools/call",
      { name: "steps", _meta: { progressToken: "tok" } },
      "call-1",
    );
    expect(response.result).toMatchObject({ structuredContent: { steps: 3 } });
    const progress = sent.filter((s) => s.message.method === "notifications/progress");
    expect(progress.every((s) => s.related === "call-1")).toBe(true);
    expect(progress.map((s) => s.message.params)).toEqual([
      { progressToken: "tok", progress: 1, total: 3, message: "step 1" },
      { progressToken: "tok", progress: 2, total: 3, message: "step 2" },
      { progressToken: "tok", progress: 3, total: 3, message: "step 3" },
    ]);
    const logs = sent.filter((s) => s.message.method === "notifications/message");
    expect(logs.map((s) => [s.related, s.message.params])).toEqual([
      ["call-1", { level: "info", logger: "wire", data: "starting" }],
      ["call-1", { level: "debug", logger: "wire", data: { message: "done", steps: 3 } }],
    ]);
  });

  it("filters logs below the session's level", async () => {
    const { init, request, notifications } = harness(demoServer());
    await init();
    await request("logging/setLevel", { level: "info" });
    await request("tools/call", { name: "steps" });
    expect(notifications("notifications/message").map((s) => s.message.params?.level)).toEqual(["info"]);
  });

  it("aborts the handler on notifications/cancelled and sends no response", async () => {
    const { init, request, notify } = harness(demoServer());
    await init();
    const pending = request("tools/call", { name: "hang" }, 77);
    await new Promise((r) => setTimeout(r, 5));
    await notify("notifications/cancelled", { requestId: 77, reason: "user" });
    expect(await pending).toBeUndefined();
  });

  it("cancels an async handler that ignores its signal, and builds no AbortController for calls that finish", async () => {
    const server = demoServer()
      .addTool("deaf", () => new Promise(() => undefined))
      .addTool("later", async () => {
        await new Promise((r) => setTimeout(r, 1));
        return "done";
      });
    const { init, request, notify } = harness(server);
    await init();
    const built = await abortControllersBuiltBy(async () => {
      expect((await request("tools/call", { name: "later" })).result).toMatchObject({
        content: [{ type: "text", text: "done" }],
      });
    });
    expect(built).toBe(0);
    const pending = request("tools/call", { name: "deaf" }, 78);
    await new Promise((r) => setTimeout(r, 5));
    await notify("notifications/cancelled", { requestId: 78, reason: "user" });
    expect(await pending).toBeUndefined();
  });

  it("cancels resource reads and prompt gets on notifications/cancelled, building no AbortController unless the handler reads ctx.signal", async () => {
    let sawAbort = false;
    const server = demoServer()
      .addResource("mem://deaf", () => new Promise(() => undefined))
      .addResource("mem://quick", async () => {
        await new Promise((r) => setTimeout(r, 1));
        return "quick";
      })
      .addPrompt("listening", (_args, ctx) => {
        return new Promise(() => {
          ctx.signal.addEventListener("abort", () => {
            sawAbort = true;
          });
        });
      });
    const { init, request, notify } = harness(server);
    await init();
    const built = await abortControllersBuiltBy(async () => {
      expect((await request("resources/read", { uri: "mem://quick" })).result).toMatchObject({
        contents: [{ uri: "mem://quick", text: "quick" }],
      });
    });
    expect(built).toBe(0);
    const read = request("resources/read", { uri: "mem://deaf" }, 91);
    const prompt = request("prompts/get", { name: "listening" }, 92);
    await new Promise((r) => setTimeout(r, 5));
    await notify("notifications/cancelled", { requestId: 91, reason: "user" });
    await notify("notifications/cancelled", { requestId: 92, reason: "user" });
    expect(await read).toBeUndefined();
    expect(await prompt).toBeUndefined();
    expect(sawAbort).toBe(true);
  });

  it("refuses a required-task tool without a task, with -32601", async () => {
    const { init, request } = harness(demoServer());
    await init();
    expect((await request("tools/call", { name: "only-task" })).error).toMatchObject({
      code: -32601,
      data: { reason: "task-required" },
    });
    expect((await request("tools/call", { name: "echo", task: {} })).error?.code).toBe(-32601);
  });
});

describe("Dispatcher tasks", () => {
  it("creates a task, keeps sending its progress after CreateTaskResult, and reports status changes", async () => {
    const { init, request, sent, notifications } = harness(demoServer());
    await init();
    const created = await request("tools/call", {
      name: "steps",
      task: { ttl: 60_000 },
      _meta: { progressToken: 9 },
    });
    const task = created.result?.task as { taskId: string; status: string; ttl: number };
    expect(task).toMatchObject({ status: "working", ttl: 60_000 });
    await until(() =>
      notifications("notifications/tasks/status").some((s) => s.message.params?.status === "completed"),
    );
    const progress = notifications("notifications/progress");
    expect(progress.at(-1)?.message.params).toEqual({
      progressToken: 9,
      progress: 3,
      total: 3,
      message: "step 3",
    });
    expect(progress.every((s) => s.related === undefined)).toBe(true);
    const statuses = notifications("notifications/tasks/status").map((s) => s.message.params?.status);
    expect(statuses).toEqual(["working", "completed"]);
    // Progress always precedes the terminal status.
    const lastProgress = sent.lastIndexOf(progress.at(-1) as Sent);
    const completed = sent.findIndex((s) => s.message.params?.status === "completed");
    expect(lastProgress).toBeLessThan(completed);

    const got = await request("tasks/get", { taskId: task.taskId, task: {}, _meta: { progressToken: 3 } });
    expect(got.result).toMatchObject({ taskId: task.taskId, status: "completed", ttl: 60_000 });
    const result = await request("tasks/result", { taskId: task.taskId });
    expect(result.result).toMatchObject({
      structuredContent: { steps: 3 },
      _meta: { "io.modelcontextprotocol/related-task": { taskId: task.taskId } },
    });
    const list = await request("tasks/list");
    expect(list.result?.tasks).toHaveLength(1);
  });

  it("sends a task's progress and status on a pending tasks/result, before its answer", async () => {
    const { init, request, sent, notifications } = harness(demoServer());
    await init();
    const created = await request("tools/call", { name: "steps", task: {}, _meta: { progressToken: "tp" } });
    const taskId = (created.result?.task as { taskId: string } | undefined)?.taskId as string;
    const result = await request("tasks/result", { taskId }, "r1");
    expect(result.result).toMatchObject({ structuredContent: { steps: 3 } });
    const progress = notifications("notifications/progress");
    expect(progress.at(-1)?.message.params).toMatchObject({ progress: 3 });
    expect(
      progress.filter((s) => (s.message.params?.progress as number) >= 2).every((s) => s.related === "r1"),
    ).toBe(true);
    const completed = notifications("notifications/tasks/status").find(
      (s) => s.message.params?.status === "completed",
    );
    expect(completed?.related).toBe("r1");
    expect(sent.indexOf(completed as Sent)).toBeGreaterThan(sent.indexOf(progress.at(-1) as Sent));
  });

  it("blocks tasks/result until the task finishes, and cancels over the wire", async () => {
    const { init, request } = harness(demoServer());
    await init();
    const created = await request("tools/call", { name: "hang", task: {} });
    const taskId = (created.result?.task as { taskId: string } | undefined)?.taskId as string;
    const result = request("tasks/result", { taskId });
    const cancelled = await request("tasks/cancel", { taskId });
    expect(cancelled.result).toMatchObject({ taskId, status: "cancelled" });
    expect((await result).error).toMatchObject({ data: { reason: "task-cancelled", taskId } });
    expect((await request("tasks/cancel", { taskId })).error).toMatchObject({ code: -32602 });
  });

  it("hides one session's tasks from another and frees them when the session ends", async () => {
    const server = demoServer();
    const alice = harness(server);
    const bob = harness(server);
    await alice.init();
    await bob.init();
    const created = await alice.request("tools/call", { name: "hang", task: {} });
    const taskId = (created.result?.task as { taskId: string } | undefined)?.taskId as string;
    expect((await bob.request("tasks/get", { taskId })).error).toMatchObject({ code: -32602 });
    expect((await bob.request("tasks/list")).result?.tasks).toEqual([]);
    const gate = createDeferred<void>();
    server.onTaskEvent((event) => {
      if (event.task.status === "cancelled") gate.resolve();
    });
    await server.sessions.end(alice.session.id);
    await gate.promise;
    expect(server.sessions.get(alice.session.id)).toBeUndefined();
  });

  it("rejects an invalid task ttl and a bad cursor with -32602", async () => {
    const { init, request } = harness(demoServer());
    await init();
    expect((await request("tools/call", { name: "steps", task: { ttl: "long" } })).error?.code).toBe(-32602);
    expect((await request("tasks/list", { cursor: "zzz" })).error?.code).toBe(-32602);
    expect((await request("tasks/get", {})).error?.code).toBe(-32602);
  });
});
