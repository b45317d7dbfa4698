import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/index.js";
import { redisBackend } from "../../src/redis.js";
import type { TaskEvent, TaskLogEvent } from "../../src/tasks/task-events.js";
import { StoreProcess } from "../sqlite/store-processes.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

let prefixes = 0;
const OWNER = { owner: "shared-owner" };
/** Short leases, so a killed process is noticed within a second. */
const LEASE_MS = 600;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Process A (a child) and server B (this process) on one Redis, with a prefix of their own. */
async function shared() {
  const prefix = `shared-${++prefixes}:`;
  const a = new StoreProcess([redis.url, prefix, String(LEASE_MS)], "test/redis/redis-process.ts");
  cleanup.push(async () => {
    if (a.child.exitCode === null && a.child.signalCode === null) await a.kill();
  });
  await a.next((message) => message.event === "ready");
  const backend = redisBackend({ url: redis.url, prefix, tasks: { leaseMs: LEASE_MS } });
  const b = FastestMCP.server("b", { backend, tasks: { storePollIntervalMs: 20 } }).addTool(
    "quick",
    () => "quick",
    { task: true },
  );
  cleanup.push(() => b.close());
  return { a, b, store: backend.taskStore };
}

/** Polls `read` until `done` accepts what it returned (the state comes from another process). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("two server processes on one Redis", () => {
  it("shows a task created through A to B: tasks/get, tasks/list, and awaitTask and tasks/result wait across processes", async () => {
    const { a, b } = await shared();
    const task = await a.send("start", { steps: 3 });
    const taskId = task.taskId as string;
    // Progress reaches Redis within A's progressFlushMs (100 ms, the Redis store's default).
    const info = await eventually(
      () => b.fetchTask(taskId, OWNER),
      (i) => i.progress?.current === 3,
    );
    expect(info).toMatchObject({ status: "working", toolName: "gated", statusMessage: "step 3" });
    expect((await b.listTasks(OWNER)).tasks.map((t) => t.taskId)).toEqual([taskId]);
    const awaited = b.awaitTask(taskId, 20_000, OWNER);
    const result = b.taskResult(taskId, OWNER);
    await a.send("release", { taskId });
    expect(await awaited).toEqual({ done: 3 });
    expect(await result).toMatchObject({ structuredContent: { done: 3 } });
    expect(await b.fetchTask(taskId, OWNER)).toMatchObject({ status: "completed" });
  });

  it("gives B's listeners A's progress and logs in order, ending with the exact final progress, and wakes B's tasks/result", async () => {
    const { a, b } = await shared();
    // B's first task waits until B's event reader runs: from then on it sees every event of A.
    await b.awaitTask(await b.callTool("quick", {}, { task: true, ...OWNER }), 5000, OWNER);
    const seen: Array<TaskEvent | TaskLogEvent> = [];
    b.onTaskEvent((event) => seen.push(event), { logs: true });
    const { taskId } = (await a.send("start", { steps: 40 })) as { taskId: string };
    await a.next((message) => message.event === "reported" && message.taskId === taskId);
    const result = b.taskResult(taskId, OWNER);
    await a.send("release", { taskId });
    expect(await result).toMatchObject({ structuredContent: { done: 40 } });
    const of = (event: TaskEvent | TaskLogEvent) => (event.type === "log" ? event.taskId : event.task.taskId);
    const ended = () =>
      seen.some((e) => e.type === "status" && of(e) === taskId && e.task.status === "completed");
    while (!ended()) await new Promise<void>((resolve) => setImmediate(resolve));
    const mine = seen.filter((event) => of(event) === taskId);
    expect(mine.every((event) => event.remote === true)).toBe(true);
    const progress = mine.flatMap((event) => (event.type === "progress" ? [event.progress.current] : []));
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(progress.at(-1)).toBe(40);
    expect(mine.flatMap((event) => (event.type === "status" ? [event.task.status] : []))).toEqual([
      "working",
      "completed",
    ]);
    expect(mine.at(-1)).toMatchObject({
      type: "status",
      task: { status: "completed", progress: { current: 40 } },
    });
    const logs = mine.flatMap((event) => (event.type === "log" ? [event.entry.message] : []));
    expect(logs).toEqual(Array.from({ length: 40 }, (_, i) => `log ${i + 1}`));
  });

  it("delivers a cancel served by B to the handler running in A (its ctx.signal aborts)", async () => {
    const { a, b } = await shared();
    const { taskId } = (await a.send("start")) as { taskId: string };
    await a.next((message) => message.event === "reported" && message.taskId === taskId);
    const cancelled = await b.cancelTask(taskId, OWNER);
    expect(cancelled.status).toBe("cancelled");
    const aborted = await a.next((message) => message.event === "aborted" && message.taskId === taskId);
    expect(aborted.message).toContain("cancelled");
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
    const usage = await store.usage(OWNER.owner);
    expect(usage).toMatchObject({ tasks: 3, unfinished: 2 });
    expect(usage.resultBytes).toBeGreaterThan(0);
  });

  it("cancels the tasks A still runs when A shuts down, and a waiter on B sees it", async () => {
    const { a, b } = await shared();
    const { taskId } = (await a.send("start")) as { taskId: string };
    await a.next((message) => message.event === "reported" && message.taskId === taskId);
    const waiting = b.taskResult(taskId, OWNER).catch((error: unknown) => error);
    expect(await a.send("close")).toBe("closed");
    expect(await waiting).toMatchObject({ reason: "task-cancelled" });
    expect(await b.fetchTask(taskId, OWNER)).toMatchObject({
      status: "cancelled",
      statusMessage: "The server shut down.",
    });
  });

  it("fails the task a killed process was running: a waiter on B sees task-interrupted", async () => {
    const { a, b } = await shared();
    const { taskId } = (await a.send("start", { steps: 2 })) as { taskId: string };
    await a.next((message) => message.event === "reported" && message.taskId === taskId);
    const waiting = b.taskResult(taskId, OWNER).catch((error: unknown) => error);
    await a.kill();
    expect(await waiting).toMatchObject({ code: -32603, reason: "task-interrupted" });
    expect(await b.fetchTask(taskId, OWNER)).toMatchObject({
      status: "failed",
      statusMessage: "The server stopped before it finished.",
    });
  });
});
