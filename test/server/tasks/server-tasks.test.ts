import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ProgressUpdate } from "../../../src/context/progress-sink.js";
import { CancelledError, FastestMcpError } from "../../../src/errors.js";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { MethodNotFoundError, ProtocolError } from "../../../src/protocol/protocol-error.js";
import type { ServerOptions } from "../../../src/server/server-options.js";
import { SqliteTaskStore } from "../../../src/sqlite.js";
import { TaskLimitError, TaskNotFoundError, TaskTerminalError } from "../../../src/tasks/task-errors.js";
import type { TaskEvent } from "../../../src/tasks/task-events.js";
import { createDeferred, type Deferred } from "../../../src/util/deferred.js";
import { rejection } from "../../rejection.js";
import { ObservedTaskStore } from "../../tasks/observed-store.js";

const servers: FastestMCP[] = [];
const stores: SqliteTaskStore[] = [];
// Read once, at import: server-tasks-sqlite.test.ts sets it around its import of this file.
const ON_SQLITE = process.env.FASTESTMCP_TEST_STORE === "sqlite";
/** A server; on a SqliteTaskStore when server-tasks-sqlite.test.ts runs this file. */
function server(options: ServerOptions = {}): FastestMCP {
  const sqlite = ON_SQLITE && options.tasks?.store === undefined;
  const store = sqlite ? new SqliteTaskStore({ path: ":memory:" }) : undefined;
  if (store !== undefined) stores.push(store);
  const tasks = store === undefined ? options.tasks : { ...options.tasks, store };
  const created = FastestMCP.server("tasks", { progressIntervalMs: 0, ...options, tasks });
  servers.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const store of stores.splice(0)) store.close();
});

/** A tool whose handler waits for the test to release it. */
function gated(s: FastestMCP, name = "gated", mode: "optional" | "required" = "optional") {
  const gates: Deferred<unknown>[] = [];
  const started: Deferred<AbortSignal>[] = [];
  s.addTool(
    name,
    async (_args, ctx) => {
      const gate = createDeferred<unknown>();
      gates.push(gate);
      started.shift()?.resolve(ctx.signal);
      return gate.promise;
    },
    { task: { mode } },
  );
  const nextStart = () => {
    const d = createDeferred<AbortSignal>();
    started.push(d);
    return d.promise;
  };
  return { gates, nextStart };
}

const until = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 2));
};

describe("background tasks in-process", () => {
  it("runs the seed's track example as a task and awaits its value", async () => {
    const s = server().addTool(
      "track",
      (_args, ctx) => {
        const progress = ctx.progress().setTotal(3).increment().setMessage("Step 1");
        return { current: progress.current, total: progress.total, message: progress.message };
      },
      { task: true },
    );
    const task = await s.callTool("track", {}, { task: true });
    expect(task).toMatchObject({ status: "working", ttl: 3_600_000, pollInterval: 1000 });
    expect(task.taskId).toMatch(/^[0-9a-f-]{36}$/);
    expect(task.createdAt).toBe(task.lastUpdatedAt);
    await expect(s.awaitTask(task, 1000)).resolves.toEqual({ current: 1, total: 3, message: "Step 1" });
    const info = await s.fetchTask(task);
    expect(info).toMatchObject({
      status: "completed",
      toolName: "track",
      progress: { current: 1, total: 3, message: "Step 1", reportedAt: expect.any(String) },
    });
    expect(await s.taskResult(task)).toMatchObject({
      structuredContent: { current: 1, total: 3, message: "Step 1" },
    });
  });

  it("persists progress on the task record after each increment, read back through fetchTask", async () => {
    const s = server();
    const steps: Deferred<void>[] = [createDeferred(), createDeferred(), createDeferred()];
    s.addTool(
      "steps",
      async (_args, ctx) => {
        const progress = ctx.progress().setTotal(3);
        for (const [index, step] of steps.entries()) {
          progress.increment().setMessage(`Step ${index + 1}`);
          await step.promise;
        }
        return "done";
      },
      { task: true },
    );
    const events: TaskEvent[] = [];
    s.onTaskEvent((event) => events.push(event));
    const task = await s.callTool("steps", {}, { task: true });
    for (const [index, step] of steps.entries()) {
      await until(async () => (await s.fetchTask(task)).progress?.message === `Step ${index + 1}`);
      const info = await s.fetchTask(task);
      expect(info.progress).toMatchObject({ current: index + 1, total: 3, message: `Step ${index + 1}` });
      expect(info.statusMessage).toBe(`Step ${index + 1}`);
      expect(info.status).toBe("working");
      step.resolve();
    }
    await s.awaitTask(task, 1000);
    expect((await s.fetchTask(task)).status).toBe("completed");
    expect(events.filter((e) => e.type === "status").map((e) => e.task.status)).toEqual([
      "working",
      "completed",
    ]);
    expect(events.some((e) => e.type === "progress" && e.progress.current === 3)).toBe(true);
  });

  it("also sends task progress to the caller's onProgress", async () => {
    const s = server().addTool(
      "p",
      (_args, ctx) => ctx.progress().setTotal(2).increment().increment().current,
      {
        task: true,
      },
    );
    const seen: ProgressUpdate[] = [];
    const task = await s.callTool("p", {}, { task: true, onProgress: (u) => seen.push(u) });
    await s.awaitTask(task);
    expect(seen.at(-1)).toMatchObject({ current: 2, total: 2 });
  });

  it("marks a tool result with isError as failed and keeps the result retrievable", async () => {
    const s = server().addTool("soft", () => ({ content: [{ type: "text", text: "nope" }], isError: true }), {
      task: true,
    });
    const task = await s.callTool("soft", {}, { task: true });
    await s.awaitTask(task);
    expect(await s.fetchTask(task)).toMatchObject({ status: "failed", statusMessage: "nope" });
    expect(await s.taskResult(task)).toEqual({ content: [{ type: "text", text: "nope" }], isError: true });
  });

  it("fails a task whose handler throws, and awaitTask rethrows the same error", async () => {
    const boom = new Error("disk full");
    const s = server().addTool(
      "boom",
      async () => {
        throw boom;
      },
      { task: true },
    );
    const task = await s.callTool("boom", {}, { task: true });
    expect(await rejection(s.awaitTask(task))).toBe(boom);
    expect(await s.fetchTask(task)).toMatchObject({ status: "failed", statusMessage: "disk full" });
    expect(await s.taskResult(task)).toMatchObject({
      isError: true,
      content: [{ type: "text", text: "disk full" }],
    });
  });

  it("stores a protocol error thrown by a task, even one with its own reason, and rethrows it from taskResult", async () => {
    const s = server().addTool(
      "refuses",
      () => {
        // A reason outside the package's table travels as a wire form.
        throw ProtocolError.fromJSON({ code: -32601, message: "Not today.", data: { reason: "not-today" } });
      },
      { task: true },
    );
    const task = await s.callTool("refuses", {}, { task: true });
    const error = await rejection(s.taskResult(task));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe(-32601);
    expect(error.reason).toBe("not-today");
    const info = await s.fetchTask(task);
    expect(info.status).toBe("failed");
    expect(info.statusMessage).toBe("Not today.");
  });

  it("cancels a working task: cancelled before returning, signal aborted, late result ignored", async () => {
    const store = new ObservedTaskStore();
    const s = server({ tasks: { store } });
    const { gates, nextStart } = gated(s);
    const started = nextStart();
    const task = await s.callTool("gated", {}, { task: true });
    const signal = await started;
    const cancelled = await s.cancelTask(task);
    expect(cancelled.status).toBe("cancelled");
    expect(signal.aborted).toBe(true);
    gates[0]?.resolve("finished anyway");
    // The late result reached the store, which refused it (not a fixed wait: it has happened).
    expect(await store.handlerOutcome(task.taskId)).toBe(false);
    expect((await s.fetchTask(task)).status).toBe("cancelled");
    expect(await rejection(s.awaitTask(task))).toBeInstanceOf(CancelledError);
    const error = await rejection(s.taskResult(task));
    expect(error).toMatchObject({ code: -32600, reason: "task-cancelled" });
  });

  it("starts no task for a call whose signal has already aborted", async () => {
    let runs = 0;
    const s = server().addTool("counted", () => ++runs, { task: true });
    const error = await rejection(s.callTool("counted", {}, { task: true, signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(CancelledError);
    expect((await s.listTasks()).tasks).toEqual([]);
    expect(runs).toBe(0);
  });

  it("rejects cancelling a terminal task with -32602", async () => {
    const s = server().addTool("quick", () => "ok", { task: true });
    const task = await s.callTool("quick", {}, { task: true });
    await s.awaitTask(task);
    const error = await rejection(s.cancelTask(task));
    expect(error).toBeInstanceOf(TaskTerminalError);
    expect(error.code).toBe(-32602);
    expect(error.message).toContain("already completed");
  });

  it("lets exactly one of a racing cancel and completion win, and never changes it afterwards", async () => {
    for (let round = 0; round < 20; round++) {
      const store = new ObservedTaskStore();
      const s = server({ tasks: { store } });
      const { gates, nextStart } = gated(s);
      const started = nextStart();
      const task = await s.callTool("gated", {}, { task: true });
      await started;
      gates[0]?.resolve("value");
      const cancel = s.cancelTask(task).then(
        () => "cancelled",
        (error) => (error instanceof TaskTerminalError ? "too-late" : Promise.reject(error)),
      );
      const outcome = await cancel;
      // Both sides are done once the handler's result reached the store: stored only if it won.
      expect(await store.handlerOutcome(task.taskId)).toBe(outcome === "too-late");
      const status = (await s.fetchTask(task)).status;
      expect(status).toBe(outcome === "cancelled" ? "cancelled" : "completed");
    }
  });

  it("times out awaitTask without stopping the task", async () => {
    const s = server();
    const { gates, nextStart } = gated(s);
    const started = nextStart();
    const task = await s.callTool("gated", {}, { task: true });
    await started;
    const error = await rejection(s.awaitTask(task, 20));
    expect(error).toBeInstanceOf(FastestMcpError);
    expect(error.code).toBe("FMCP_ERR_TASK_AWAIT_TIMEOUT");
    expect((await s.fetchTask(task)).status).toBe("working");
    gates[0]?.resolve(42);
    await expect(s.awaitTask(task, 1000)).resolves.toBe(42);
  });

  it("awaits a running task only as its owner: another owner's awaitTask and taskResult answer task-not-found", async () => {
    const s = server();
    const { gates, nextStart } = gated(s);
    const started = nextStart();
    const task = await s.callTool("gated", {}, { task: true, owner: "alice" });
    await started;
    expect(await rejection(s.awaitTask(task, undefined, { owner: "bob" }))).toBeInstanceOf(TaskNotFoundError);
    expect(await rejection(s.taskResult(task, { owner: "bob" }))).toBeInstanceOf(TaskNotFoundError);
    const waiting = s.awaitTask(task, undefined, { owner: "alice" });
    gates[0]?.resolve(7);
    await expect(waiting).resolves.toBe(7);
  });

  it("purges expired tasks, which then look exactly like unknown ids", async () => {
    const s = server({ tasks: { maxTtlMs: 30 } });
    s.addTool("quick", () => "ok", { task: true });
    const task = await s.callTool("quick", {}, { task: true });
    expect(task.ttl).toBe(30);
    await s.awaitTask(task);
    await new Promise((r) => setTimeout(r, 40));
    const expired = await rejection(s.fetchTask(task));
    const unknown = await rejection(s.fetchTask("00000000-0000-0000-0000-000000000000"));
    expect(expired).toBeInstanceOf(TaskNotFoundError);
    expect(expired.code).toBe(unknown.code);
    expect(expired.reason).toBe(unknown.reason);
    expect((await s.listTasks()).tasks).toEqual([]);
  });

  it("caps a requested ttl at the server maximum and honours null only when allowed", async () => {
    const capped = server({ tasks: { maxTtlMs: 5000 } }).addTool("t", () => 1, { task: true });
    expect((await capped.callTool("t", {}, { task: { ttl: 60_000 } })).ttl).toBe(5000);
    expect((await capped.callTool("t", {}, { task: { ttl: null } })).ttl).toBe(5000);
    expect((await capped.callTool("t", {}, { task: { ttl: 1234 } })).ttl).toBe(1234);
    const unlimited = server({ tasks: { allowUnlimitedTtl: true } }).addTool("t", () => 1, { task: true });
    expect((await unlimited.callTool("t", {}, { task: { ttl: null } })).ttl).toBeNull();
    const error = await rejection(capped.callTool("t", {}, { task: { ttl: -5 } }));
    expect(error).toMatchObject({ code: -32602, reason: "invalid-ttl" });
  });

  it("keeps each owner's tasks invisible to other owners", async () => {
    const s = server().addTool("t", () => 1, { task: true });
    const mine = await s.callTool("t", {}, { task: true, owner: "alice" });
    await s.awaitTask(mine, 1000, { owner: "alice" });
    for (const attempt of [
      s.fetchTask(mine, { owner: "bob" }),
      s.awaitTask(mine, 100, { owner: "bob" }),
      s.taskResult(mine, { owner: "bob" }),
      s.cancelTask(mine, { owner: "bob" }),
      s.fetchTask(mine),
    ]) {
      expect(await rejection(attempt)).toBeInstanceOf(TaskNotFoundError);
    }
    expect((await s.listTasks({ owner: "bob" })).tasks).toEqual([]);
    expect((await s.listTasks({ owner: "alice" })).tasks.map((t) => t.taskId)).toEqual([mine.taskId]);
  });

  it("paginates listTasks over more than one page", async () => {
    const s = server().addTool("t", () => 1, { task: true });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await s.callTool("t", {}, { task: true })).taskId);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await s.listTasks({ pageSize: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.tasks.map((t) => t.taskId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    expect(await rejection(s.listTasks({ cursor: "nonsense" }))).toMatchObject({ code: -32602 });
    expect(await rejection(s.listTasks({ pageSize: 0 }))).toMatchObject({ code: -32602 });
  });

  it("limits unfinished tasks per owner with a clear error", async () => {
    const s = server({ tasks: { maxTasksPerOwner: 2 } });
    const { gates } = gated(s);
    await s.callTool("gated", {}, { task: true });
    await s.callTool("gated", {}, { task: true });
    const error = await rejection(s.callTool("gated", {}, { task: true }));
    expect(error).toBeInstanceOf(TaskLimitError);
    expect(error.message).toContain("at most 2");
    await expect(s.callTool("gated", {}, { task: true, owner: "other" })).resolves.toMatchObject({
      status: "working",
    });
    await until(() => gates.length === 3);
    gates[0]?.resolve(1);
    await until(async () => (await s.listTasks()).tasks.some((t) => t.status === "completed"));
    await expect(s.callTool("gated", {}, { task: true })).resolves.toMatchObject({ status: "working" });
  });

  it("enforces tool task modes with -32601", async () => {
    const s = server()
      .addTool("never", () => 1)
      .addTool("always", () => 2, { task: { mode: "required" } })
      .addTool("either", () => 3, { task: true });
    const forbidden = await rejection(s.callTool("never", {}, { task: true }));
    expect(forbidden).toBeInstanceOf(MethodNotFoundError);
    expect(forbidden).toMatchObject({ code: -32601, reason: "task-not-supported" });
    const required = await rejection(s.callTool("always"));
    expect(required).toMatchObject({ code: -32601, reason: "task-required" });
    await expect(s.callToolResult("always")).rejects.toBeInstanceOf(MethodNotFoundError);
    await expect(s.awaitTask(await s.callTool("always", {}, { task: true }))).resolves.toBe(2);
    await expect(s.callTool("either")).resolves.toBe(3);
    await expect(s.awaitTask(await s.callTool("either", {}, { task: true }))).resolves.toBe(3);
  });

  it("validates task arguments before the handler runs and fails the task", async () => {
    const s = server().addTool("typed", ({ n }) => n * 2, {
      inputSchema: z.object({ n: z.number() }),
      task: true,
    });
    const task = await s.callTool("typed", { n: "x" }, { task: true });
    await expect(s.awaitTask(task)).rejects.toMatchObject({ code: -32602, reason: "invalid-tool-arguments" });
    expect(await s.fetchTask(task)).toMatchObject({ status: "failed" });
  });

  it("cancels unfinished tasks on close", async () => {
    const s = server();
    const { nextStart } = gated(s);
    const started = nextStart();
    const task = await s.callTool("gated", {}, { task: true });
    const signal = await started;
    await s.close();
    expect(signal.aborted).toBe(true);
    expect(await s.fetchTask(task)).toMatchObject({
      status: "cancelled",
      statusMessage: "The server shut down.",
    });
  });

  it("rejects unknown task ids with -32602 naming the id", async () => {
    const s = server().addTool("t", () => 1, { task: true });
    const error = await rejection(s.fetchTask("nope"));
    expect(error).toMatchObject({ code: -32602, reason: "task-not-found" });
    expect(error.message).toContain('"nope"');
  });
});
