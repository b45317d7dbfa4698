/**
 * The tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663) on MCP 2026-07-28, served from
 * the same task store as 2025-11-25's tasks. Spec: the extension's specification/2026-07-28/tasks.md.
 */
import { describe, expect, it } from "vitest";
import { MemoryTaskStore } from "../../../src/tasks/memory-task-store.js";
import type { TaskRecord } from "../../../src/tasks/task-record.js";
import { createDeferred } from "../../../src/util/deferred.js";
import {
  PROGRESS_KEY,
  post,
  startTask,
  TASKS,
  tasksServer,
  terminalGet,
  VERSION,
  WITH_TASKS,
} from "./task-extension-harness.js";

describe("the tasks extension on 2026-07-28", () => {
  it("declares the extension in server/discover and no 2025 tasks capability", async () => {
    const { server } = tasksServer();
    const { body } = await post(server, "server/discover");
    expect(body.result.capabilities.extensions).toEqual({ [TASKS]: {} });
    expect(body.result.capabilities).not.toHaveProperty("tasks");
    const tools = (await post(server, "tools/list")).body.result.tools;
    expect(tools.every((tool: object) => !("execution" in tool))).toBe(true);
  });

  it("answers a task-supporting tool with a flat handle (resultType task, ttlMs, pollIntervalMs) that tasks/get finds at once", async () => {
    const { server, gates } = tasksServer({ tasks: { defaultTtlMs: 60_000, defaultPollIntervalMs: 250 } });
    const created = await post(server, "tools/call", { name: "gated", arguments: {} });
    expect(created.status).toBe(200);
    const handle = created.body.result;
    expect(handle).toMatchObject({
      resultType: "task",
      status: "working",
      ttlMs: 60_000,
      pollIntervalMs: 250,
    });
    expect(handle.taskId).toEqual(expect.any(String));
    expect(Date.parse(handle.createdAt)).not.toBeNaN();
    expect(Date.parse(handle.lastUpdatedAt)).not.toBeNaN();
    for (const legacy of ["task", "ttl", "pollInterval", "result", "error", "inputRequests", "requestState"])
      expect(handle).not.toHaveProperty(legacy);
    expect(handle._meta["io.modelcontextprotocol/serverInfo"]).toMatchObject({ name: "tasks-ext" });
    const got = await post(server, "tasks/get", { taskId: handle.taskId });
    expect(got.body.result).toMatchObject({
      resultType: "complete",
      taskId: handle.taskId,
      status: "working",
    });
    expect(got.body.result).not.toHaveProperty("result");
    gates.release.resolve();
  });

  it("sends the handle only once the store has the task (a slow create holds the answer back)", async () => {
    const entered = createDeferred<void>();
    const created = createDeferred<void>();
    const gate = createDeferred<void>();
    class SlowCreateStore extends MemoryTaskStore {
      override async create(...args: Parameters<MemoryTaskStore["create"]>) {
        entered.resolve();
        await gate.promise;
        const result = await super.create(...args);
        created.resolve();
        return result;
      }
    }
    const { server } = tasksServer({ tasks: { store: new SlowCreateStore() } });
    let answered = false;
    const call = post(server, "tools/call", { name: "instant", arguments: {} }).then((answer) => {
      answered = true;
      return answer;
    });
    // The request reached the store and waits there: nothing has been answered.
    await entered.promise;
    expect(answered).toBe(false);
    gate.resolve();
    await created.promise;
    const taskId = (await call).body.result.taskId;
    expect((await post(server, "tasks/get", { taskId })).body.result.taskId).toBe(taskId);
  });

  it("inlines the result of a completed task, without the 2025 related-task _meta", async () => {
    const { server } = tasksServer();
    const taskId = await startTask(server, "instant");
    const { body } = await terminalGet(server, taskId);
    expect(body.result).toMatchObject({
      resultType: "complete",
      status: "completed",
      result: { structuredContent: { answer: 42 }, content: [{ type: "text", text: '{"answer":42}' }] },
    });
    expect(body.result.result._meta?.["io.modelcontextprotocol/related-task"]).toBeUndefined();
    expect(body.result).not.toHaveProperty("error");
  });

  it("reports a tool error as completed with result.isError, and a protocol error as failed with the error inline", async () => {
    const { server } = tasksServer();
    const toolError = (await terminalGet(server, await startTask(server, "tool_error"))).body.result;
    expect(toolError).toMatchObject({
      status: "completed",
      result: { isError: true, content: [{ type: "text", text: "the tool could not do it" }] },
    });
    const failed = (await terminalGet(server, await startTask(server, "protocol_error"))).body.result;
    expect(failed).toMatchObject({ status: "failed", error: { code: -32603, message: "the server broke" } });
    expect(failed).not.toHaveProperty("result");
  });

  it("cancels with an empty acknowledgement, aborts the handler, and acknowledges again once terminal", async () => {
    const { server, gates } = tasksServer();
    const taskId = await startTask(server, "gated");
    const ack = await post(server, "tasks/cancel", { taskId });
    expect(ack.status).toBe(200);
    const { _meta, ...rest } = ack.body.result;
    expect(rest).toEqual({ resultType: "complete" });
    expect(await gates.aborted.promise).toBeDefined();
    const got = (await post(server, "tasks/get", { taskId })).body.result;
    expect(got.status).toBe("cancelled");
    expect(got).not.toHaveProperty("error");
    expect(got).not.toHaveProperty("result");
    const again = await post(server, "tasks/cancel", { taskId });
    expect(again.body.result.resultType).toBe("complete");
    const done = await startTask(server, "instant");
    await terminalGet(server, done);
    expect((await post(server, "tasks/cancel", { taskId: done })).body.result.resultType).toBe("complete");
    expect((await post(server, "tasks/get", { taskId: done })).body.result.status).toBe("completed");
  });

  it("answers -32602 for an unknown task on tasks/get, tasks/cancel and tasks/update", async () => {
    const { server } = tasksServer();
    for (const [method, params] of [
      ["tasks/get", { taskId: "no-such-task" }],
      ["tasks/cancel", { taskId: "no-such-task" }],
      ["tasks/update", { taskId: "no-such-task", inputResponses: {} }],
    ] as const) {
      const { status, body } = await post(server, method, params);
      expect(status, method).toBe(200);
      expect(body.error, method).toMatchObject({ code: -32602, data: { reason: "task-not-found" } });
    }
  });

  it("acknowledges tasks/update for a task that waits on no input (responses ignored) and refuses malformed inputResponses", async () => {
    const { server, gates } = tasksServer();
    const taskId = await startTask(server, "gated");
    const ack = await post(server, "tasks/update", {
      taskId,
      inputResponses: { "unknown-key": { action: "accept" } },
    });
    expect(ack.body.result.resultType).toBe("complete");
    expect(Object.keys(ack.body.result).sort()).toEqual(["_meta", "resultType"]);
    expect((await post(server, "tasks/get", { taskId })).body.result.status).toBe("working");
    for (const inputResponses of [undefined, null, [], { key: 12345 }]) {
      const refused = await post(server, "tasks/update", { taskId, inputResponses });
      expect(refused.body.error, JSON.stringify(inputResponses)).toMatchObject({
        code: -32602,
        data: { reason: "invalid-params", parameter: "inputResponses" },
      });
    }
    gates.release.resolve();
  });

  it("answers -32021 (HTTP 400) naming the extension when a request did not declare it", async () => {
    const { server, gates } = tasksServer();
    const taskId = await startTask(server, "gated");
    const required = { requiredCapabilities: { extensions: { [TASKS]: {} } } };
    for (const [method, params] of [
      ["tasks/get", { taskId }],
      ["tasks/cancel", { taskId }],
      ["tasks/update", { taskId, inputResponses: {} }],
      ["tools/call", { name: "only_task", arguments: {} }],
    ] as const) {
      const { status, body } = await post(server, method, params, { capabilities: {} });
      expect(status, method).toBe(400);
      expect(body.error, method).toMatchObject({ code: -32021, data: required });
    }
    // The task was not cancelled by the refused tasks/cancel.
    expect((await post(server, "tasks/get", { taskId })).body.result.status).toBe("working");
    gates.release.resolve();
  });

  it("runs a task-optional tool inline for a request without the extension, and never makes a sync tool a task", async () => {
    const { server } = tasksServer();
    const inline = await post(server, "tools/call", { name: "instant", arguments: {} }, { capabilities: {} });
    expect(inline.body.result).toMatchObject({ resultType: "complete", structuredContent: { answer: 42 } });
    expect(inline.body.result).not.toHaveProperty("taskId");
    // A 2025 client's task hint means nothing here.
    const hinted = await post(server, "tools/call", {
      name: "greet",
      arguments: { name: "Ada" },
      task: { ttl: 1000 },
    });
    expect(hinted.body.result).toMatchObject({
      resultType: "complete",
      content: [{ type: "text", text: "Hello, Ada!" }],
    });
  });

  it("answers tasks/result and tasks/list with -32601 (HTTP 404): the extension has neither", async () => {
    const { server } = tasksServer();
    for (const [method, params] of [
      ["tasks/result", { taskId: "x" }],
      ["tasks/list", {}],
    ] as const) {
      const { status, body } = await post(server, method, params);
      expect(status, method).toBe(404);
      expect(body.error.code, method).toBe(-32601);
    }
  });

  it("checks Mcp-Name against the taskId (-32020)", async () => {
    const { server, gates } = tasksServer();
    const taskId = await startTask(server, "gated");
    const wrong = await post(server, "tasks/get", { taskId }, { headers: { "mcp-name": "another-task" } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: -32020, data: { header: "Mcp-Name" } });
    const missing = await post(server, "tasks/cancel", { taskId }, { headers: { "mcp-name": undefined } });
    expect(missing.body.error.code).toBe(-32020);
    gates.release.resolve();
  });

  it("puts the stored progress, exactly, under dev.fastestmcp/progress on tasks/get, with statusMessage mirroring its message", async () => {
    const store = new MemoryTaskStore();
    const { server, gates } = tasksServer({ tasks: { store } });
    const flushed = createDeferred<void>();
    server.onTaskEvent((event) => {
      if (event.type === "progress") flushed.resolve();
    });
    const taskId = await startTask(server, "gated");
    await flushed.promise;
    const stored = (await store.get(taskId)) as TaskRecord;
    const got = (await post(server, "tasks/get", { taskId })).body.result;
    expect(got._meta[PROGRESS_KEY]).toEqual({
      current: 2,
      total: 5,
      message: "two of five",
      reportedAt: stored.progress?.reportedAt,
    });
    expect(got.statusMessage).toBe("two of five");
    gates.release.resolve();
    const done = (await terminalGet(server, taskId)).body.result;
    // The final progress is stored with the terminal status, and still read.
    expect(done._meta[PROGRESS_KEY]).toMatchObject({ current: 2, total: 5, message: "two of five" });
  });

  it("sends no notifications/progress for a task: the handle is plain JSON even when the handler reports at once", async () => {
    const { server, gates } = tasksServer();
    const response = await server.fetch(
      new Request("http://localhost/mcp", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": VERSION,
          "mcp-method": "tools/call",
          "mcp-name": "gated",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: {
            name: "gated",
            arguments: {},
            _meta: {
              progressToken: "p1",
              "io.modelcontextprotocol/protocolVersion": VERSION,
              "io.modelcontextprotocol/clientCapabilities": WITH_TASKS,
            },
          },
        }),
      }),
    );
    expect(response.headers.get("content-type")).toContain("application/json");
    const answer = (await response.json()) as { result: { resultType: string } };
    expect(answer.result.resultType).toBe("task");
    gates.release.resolve();
  });
});
