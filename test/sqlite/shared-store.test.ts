import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { FastestMCP } from "../../src/index.js";
import { SqliteTaskStore } from "../../src/sqlite.js";
import { StoreProcess } from "./store-processes.js";

const dir = mkdtempSync(join(tmpdir(), "fastestmcp-shared-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const OWNER = { owner: "shared-owner" };

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A fresh database file, process A on it (a child), and process B (this one) on the same file. */
async function shared() {
  const path = join(dir, `shared-${++files}.db`);
  const a = new StoreProcess(path);
  cleanup.push(async () => {
    if (a.child.exitCode === null && a.child.signalCode === null) await a.kill();
  });
  await a.next((message) => message.event === "ready");
  const store = new SqliteTaskStore({ path, leaseMs: 3000 });
  const b = FastestMCP.server("b", { tasks: { store, storePollIntervalMs: 20 } }).addTool(
    "quick",
    () => "quick",
    { task: true },
  );
  cleanup.push(async () => {
    await b.close();
    store.close();
  });
  return { path, a, b, store };
}

/** Polls `read` until `done` accepts what it returned (the state comes from another process). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("SqliteTaskStore shared by processes", () => {
  it("shows a task created by A to B: fetchTask, awaitTask and taskResult wait across processes", async () => {
    const { a, b } = await shared();
    const task = await a.send("start", { steps: 3 });
    const taskId = task.taskId as string;
    const info = await eventually(
      () => b.fetchTask(taskId, OWNER),
      (i) => i.progress?.current === 3,
    );
    expect(info).toMatchObject({ status: "working", toolName: "gated", statusMessage: "step 3" });
    const awaited = b.awaitTask(taskId, 20_000, OWNER);
    const result = b.taskResult(taskId, OWNER);
    await a.send("release", { taskId });
    expect(await awaited).toEqual({ done: 3 });
    expect(await result).toMatchObject({ structuredContent: { done: 3 } });
    expect((await b.listTasks(OWNER)).tasks.map((t) => t.taskId)).toEqual([taskId]);
  });

  it("delivers a cancel served by B to the handler running in A", async () => {
    const { a, b } = await shared();
    const { taskId } = (await a.send("start")) as { taskId: string };
    await a.next((message) => message.event === "reported" && message.taskId === taskId);
    const cancelled = await b.cancelTask(taskId, OWNER);
    expect(cancelled.status).toBe("cancelled");
    const aborted = await a.next((message) => message.event === "aborted" && message.taskId === taskId);
    expect(aborted.message).toContain("cancelled");
    // A's own view agrees: awaiting the task there rejects as cancelled.
    await expect(a.send("await", { taskId })).rejects.toThrow(/cancelled/);
  });

  it("orders and counts one owner's tasks the same in both processes", async () => {
    const { a, b, store } = await shared();
    const first = (await a.send("start")) as { taskId: string };
    const second = await b.callTool("quick", {}, { task: true, ...OWNER });
    await b.awaitTask(second, 5000, OWNER);
    const third = (await a.send("start")) as { taskId: string };
    const page = await b.listTasks({ ...OWNER, pageSize: 2 });
    expect(page.tasks.map((t) => t.taskId)).toEqual([first.taskId, second.taskId]);
    const next = await b.listTasks({ ...OWNER, cursor: page.nextCursor });
    expect(next.tasks.map((t) => t.taskId)).toEqual([third.taskId]);
    const usage = await store.usage("shared-owner");
    expect(usage).toMatchObject({ tasks: 3, unfinished: 2 });
    expect(usage.resultBytes).toBeGreaterThan(0);
  });
});

describe("SqliteTaskStore after kill -9", () => {
  it("keeps finished tasks and stored progress, and fails the ones that were working, on the next start", async () => {
    const path = join(dir, `crash-${++files}.db`);
    const a = new StoreProcess(path);
    await a.next((message) => message.event === "ready");
    const done = (await a.send("start", { steps: 2 })) as { taskId: string };
    const finished = await a.send("release", { taskId: done.taskId });
    const working = (await a.send("start", { steps: 7 })) as { taskId: string };
    await a.next((message) => message.event === "reported" && message.taskId === working.taskId);
    // Wait until the progress is stored (a separate read-only look at the file), then crash.
    const peek = new SqliteTaskStore({ path });
    await eventually(
      () => peek.get(working.taskId),
      (record) => record?.progress?.current === 7,
    );
    peek.close();
    await a.kill();

    const store = new SqliteTaskStore({ path });
    const server = FastestMCP.server("restarted", { tasks: { store } });
    try {
      expect(await server.taskResult(done.taskId, OWNER)).toEqual(finished);
      const interrupted = await server.fetchTask(working.taskId, OWNER);
      expect(interrupted).toMatchObject({
        status: "failed",
        statusMessage: "The server stopped before it finished.",
        progress: { current: 7, total: 100, message: "step 7" },
      });
      const error = await server.taskResult(working.taskId, OWNER).catch((thrown) => thrown);
      expect(error).toMatchObject({ code: -32603, reason: "task-interrupted" });
      // TTL expiry still works across the restart: two hours later, both are gone.
      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        vi.setSystemTime(Date.now() + 2 * 3_600_000);
        await expect(server.fetchTask(done.taskId, OWNER)).rejects.toMatchObject({
          reason: "task-not-found",
        });
        expect(await store.expire(Date.now())).toEqual([working.taskId]);
      } finally {
        vi.useRealTimers();
      }
    } finally {
      await server.close();
      store.close();
    }
  });

  it("lets another process sharing the store notice the crash: its waiter sees the task fail", async () => {
    const { a, b } = await shared();
    const { taskId } = (await a.send("start")) as { taskId: string };
    await a.next((message) => message.event === "reported" && message.taskId === taskId);
    const waiting = b.taskResult(taskId, OWNER).catch((error) => error);
    await a.kill();
    expect(await waiting).toMatchObject({ code: -32603, reason: "task-interrupted" });
    expect(await b.fetchTask(taskId, OWNER)).toMatchObject({
      status: "failed",
      statusMessage: "The server stopped before it finished.",
    });
  });
});
