import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/index.js";
import { RedisTaskEvents, RedisTaskStore, redisBackend } from "../../src/redis.js";
import type { TaskActivityListener, TaskEvent } from "../../src/tasks/task-events.js";
import { createDeferred } from "../../src/util/deferred.js";
import type { SentMessage } from "../server/session/session-harness.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

let redis: RedisServer;
let floodAdmin: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  floodAdmin = new Redis(redis.url);
});
afterAll(async () => {
  await floodAdmin?.quit();
  await redis?.stop();
});

const OWNER = { owner: "shared-owner" };
/** Far longer than any test: only an event, never a store poll, can end a wait in time. */
const NO_POLLING = { storePollIntervalMs: 600_000 };
let prefixes = 0;
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/**
 * Two servers ("instances") on one Redis prefix, each with its own backend (own connections, own
 * event reader): A runs a `gated` tool that reports `steps` progress updates and logs, then waits
 * until released or aborted.
 */
function instances() {
  const prefix = `events-${++prefixes}:`;
  const release = new Map<string, () => void>();
  const aborted = new Map<string, (reason: unknown) => void>();
  const abortedReason = (taskId: string) => new Promise((resolve) => aborted.set(taskId, resolve));
  const a = FastestMCP.server("a", {
    progressIntervalMs: 0,
    backend: redisBackend({ url: redis.url, prefix }),
    tasks: NO_POLLING,
  }).addTool(
    "gated",
    async ({ steps: given }, ctx) => {
      const steps = Number(given);
      const progress = ctx.progress().setTotal(steps);
      for (let step = 1; step <= steps; step++) {
        progress.increment().setMessage(`step ${step}`);
        ctx.log.info(`log ${step}`);
        // Yield like real work, so the flusher coalesces some updates and stores others.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await new Promise<void>((resolve, reject) => {
        release.set(ctx.taskId as string, resolve);
        ctx.signal.addEventListener("abort", () => {
          aborted.get(ctx.taskId as string)?.(ctx.signal.reason);
          reject(ctx.signal.reason);
        });
      });
      return { done: steps };
    },
    { task: true, inputSchema: { type: "object", properties: { steps: { type: "number" } } } },
  );
  const b = FastestMCP.server("b", {
    backend: redisBackend({ url: redis.url, prefix }),
    tasks: NO_POLLING,
  }).addTool("quick", () => "quick", { task: true });
  cleanup.push(
    () => a.close(),
    () => b.close(),
  );
  /** Resolves once B's event reader runs (its first task waited for it). */
  const bListening = async () => {
    await b.awaitTask(await b.callTool("quick", {}, { task: true, ...OWNER }), 10_000, OWNER);
  };
  return { a, b, release, abortedReason, bListening };
}

describe("task events across instances on Redis", () => {
  it("gives B's listeners A's progress in order, ending with the exact final progress, then the status, and its logs", async () => {
    const { a, b, release, bListening } = instances();
    await bListening();
    const seen: Parameters<TaskActivityListener>[0][] = [];
    b.onTaskEvent((event) => seen.push(event), { logs: true });
    const { taskId } = await a.callTool("gated", { steps: 50 }, { task: true, ...OWNER });
    const result = b.awaitTask(taskId, 30_000, OWNER);
    await a.fetchTask(taskId, OWNER);
    const waitReleasable = async () => {
      while (!release.has(taskId)) await new Promise<void>((resolve) => setImmediate(resolve));
    };
    await waitReleasable();
    release.get(taskId)?.();
    expect(await result).toEqual({ done: 50 });
    const mine = seen.filter((event) => (event.type === "log" ? event.taskId : event.task.taskId) === taskId);
    expect(mine.every((event) => event.remote === true)).toBe(true);
    const progress = mine.flatMap((event) => (event.type === "progress" ? [event.progress.current] : []));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(progress.at(-1)).toBe(50);
    const statuses = mine.flatMap((event) => (event.type === "status" ? [event.task.status] : []));
    expect(statuses).toEqual(["working", "completed"]);
    expect(mine.at(-1)).toMatchObject({
      type: "status",
      task: { status: "completed", progress: { current: 50 } },
    });
    const logs = mine.flatMap((event) => (event.type === "log" ? [event.entry.message] : []));
    expect(logs).toEqual(Array.from({ length: 50 }, (_, i) => `log ${i + 1}`));
  });

  it("wakes awaitTask and taskResult on B when A's task ends, without polling the store", async () => {
    const { a, b, release } = instances();
    const { taskId } = await a.callTool("gated", { steps: 1 }, { task: true, ...OWNER });
    const awaited = b.awaitTask(taskId, 30_000, OWNER);
    const result = b.taskResult(taskId, OWNER);
    while (!release.has(taskId)) await new Promise<void>((resolve) => setImmediate(resolve));
    // In either order B's waits end: A's event wakes them, or their first read after
    // subscribing finds the task already ended.
    release.get(taskId)?.();
    expect(await awaited).toEqual({ done: 1 });
    expect(await result).toMatchObject({ structuredContent: { done: 1 } });
  });

  it("aborts A's ctx.signal when B cancels, without polling the store", async () => {
    const { a, b, release, abortedReason, bListening } = instances();
    await bListening();
    const { taskId } = await a.callTool("gated", { steps: 1 }, { task: true, ...OWNER });
    const reason = abortedReason(taskId);
    while (!release.has(taskId)) await new Promise<void>((resolve) => setImmediate(resolve));
    const waiting = a.awaitTask(taskId, 30_000, OWNER).catch((error: unknown) => error);
    expect((await b.cancelTask(taskId, OWNER)).status).toBe("cancelled");
    expect(String(await reason)).toContain("cancelled");
    // A's in-process waiter gets the handler's own outcome: the abort.
    expect(await waiting).toMatchObject({ code: "FMCP_ERR_CANCELLED" });
    expect(await a.fetchTask(taskId, OWNER)).toMatchObject({ status: "cancelled" });
  });

  it("answers tasks/result on a B session of the task's owner, and notifies that session of A's status changes", async () => {
    const { a, b, release } = instances();
    const sent: SentMessage[] = [];
    // A session of an identity (auth) lives on B; the task runs on A under the same identity.
    const session = b.sessions.create(
      { send: (message, related) => sent.push({ message, related }) },
      OWNER.owner,
    );
    const call = (id: number, method: string, params: Record<string, unknown> = {}) =>
      session.handle({ jsonrpc: "2.0", id, method, params }) as Promise<{ result?: Record<string, unknown> }>;
    await call(1, "initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "t", version: "1" },
    });
    await session.handle({ jsonrpc: "2.0", method: "notifications/initialized" });
    const { taskId } = await a.callTool("gated", { steps: 3 }, { task: true, ...OWNER });
    const result = call(2, "tasks/result", { taskId });
    while (!release.has(taskId)) await new Promise<void>((resolve) => setImmediate(resolve));
    release.get(taskId)?.();
    expect((await result).result).toMatchObject({ structuredContent: { done: 3 } });
    const completedSent = () =>
      sent.find(
        (s) => s.message.method === "notifications/tasks/status" && s.message.params?.status === "completed",
      );
    // The answer may come from B's own read of the store (when A finished before B subscribed):
    // the event, and so the notification, may follow it.
    while (completedSent() === undefined) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(completedSent()?.message.params).toMatchObject({ taskId, status: "completed" });
    const statuses = sent.filter((s) => s.message.method === "notifications/tasks/status");
    expect(statuses.map((s) => s.message.params?.status)).toEqual(["working", "completed"]);
  });

  it("announces the tasks a lease fails: a waiter and a listener on another instance hear at once", async () => {
    const prefix = `events-${++prefixes}:`;
    // A runs the task on a connection the test cuts (no bus: it dies without a word).
    const connection = new Redis(redis.url);
    const dyingStore = new RedisTaskStore({ client: connection, prefix, leaseMs: 300 });
    const started = createDeferred<void>();
    const a = FastestMCP.server("a", { tasks: { store: dyingStore, ...NO_POLLING } }).addTool(
      "forever",
      async (_args, ctx) => {
        started.resolve();
        await new Promise((_, reject) =>
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)),
        );
      },
      { task: true },
    );
    // B's beats (every 100 ms) reap A's tasks; C's lease is long, so only B's beat can.
    const b = FastestMCP.server("b", {
      backend: redisBackend({ url: redis.url, prefix, tasks: { leaseMs: 300 } }),
      tasks: NO_POLLING,
    });
    const c = FastestMCP.server("c", {
      backend: redisBackend({ url: redis.url, prefix, tasks: { leaseMs: 600_000 } }),
      tasks: NO_POLLING,
    }).addTool("quick", () => "quick", { task: true });
    cleanup.push(
      async () => {
        await a.close();
        await dyingStore.close();
      },
      () => b.close(),
      () => c.close(),
    );
    // C's event reader runs once its first task was waited for.
    await c.awaitTask(await c.callTool("quick", {}, { task: true, ...OWNER }), 10_000, OWNER);
    const failedOnC = createDeferred<TaskEvent>();
    c.onTaskEvent((event) => {
      if (event.type === "status" && event.task.status === "failed") failedOnC.resolve(event);
    });
    const { taskId } = await a.callTool("forever", {}, { task: true, ...OWNER });
    await started.promise;
    const waiting = c.awaitTask(taskId, undefined, OWNER).catch((error: unknown) => error);
    connection.disconnect();
    // No store poll can end these waits in time (NO_POLLING): only B's event does.
    expect(await waiting).toMatchObject({ code: -32603, reason: "task-interrupted" });
    expect(await failedOnC.promise).toMatchObject({
      remote: true,
      task: { taskId, status: "failed", statusMessage: "The server stopped before it finished." },
    });
  });

  it("after the stream lost events, reads the store: B's waiter and listener get the task's end", async () => {
    const prefix = `events-${++prefixes}:`;
    const reported: string[] = [];
    const logger = { warn: () => undefined, error: (message: string) => reported.push(message) };
    // A publishes nothing (no bus): its task's end reaches B only through a resynchronisation.
    const store = new RedisTaskStore({ url: redis.url, prefix });
    const release = createDeferred<void>();
    const a = FastestMCP.server("a", { tasks: { store, ...NO_POLLING } }).addTool(
      "gated",
      async (_args, ctx) => {
        await ctx.reportProgress(1, 2, "half");
        await release.promise;
        await ctx.reportProgress(2, 2, "all");
        return "done";
      },
      { task: true },
    );
    const b = FastestMCP.server("b", {
      backend: redisBackend({ url: redis.url, prefix, events: { maxLen: 10, logger } }),
      tasks: NO_POLLING,
    });
    // What another instance publishes, in the test's hands.
    const publisher = new RedisTaskEvents({ url: redis.url, prefix, maxLen: 10 });
    cleanup.push(
      async () => {
        await a.close();
        await store.close();
      },
      () => b.close(),
      () => publisher.close(),
    );
    const seen: TaskEvent[] = [];
    const heard = createDeferred<void>();
    const ended = createDeferred<void>();
    b.onTaskEvent((event) => {
      seen.push(event);
      if (event.task.status === "working") heard.resolve();
      if (event.task.status === "completed") ended.resolve();
    });
    const { taskId } = await a.callTool("gated", {}, { task: true, ...OWNER });
    const waiting = b.awaitTask(taskId, undefined, OWNER);
    // B hears of the task as another instance would tell it, so its listeners follow it.
    publisher.publish({ type: "status", task: await storedRecord(store, taskId) });
    await heard.promise;
    release.resolve();
    await a.awaitTask(taskId, undefined, OWNER);
    // The stream is flooded past its maxLen in one step: B's reader finds its place trimmed.
    await floodAdmin.eval(FLOOD, 1, `${prefix}events`, 1000, 10, "[]");
    // Ran elsewhere: the stored CallToolResult.
    expect(await waiting).toMatchObject({ content: [{ text: "done" }] });
    await ended.promise;
    expect(reported).toEqual([expect.stringContaining("trimmed from the stream")]);
    const mine = seen.filter((event) => event.task.taskId === taskId);
    expect(mine.map((event) => [event.type, event.task.status])).toEqual([
      ["status", "working"],
      ["progress", "completed"],
      ["status", "completed"],
    ]);
    expect(mine[1]).toMatchObject({ remote: true, progress: { current: 2, total: 2, message: "all" } });
    expect(mine[2]?.task.result).toBeUndefined();
  });
});

/** The record as the store holds it (what the instance running a task publishes). */
async function storedRecord(store: RedisTaskStore, taskId: string) {
  const record = await store.get(taskId);
  if (record === undefined) throw new Error(`no task ${taskId}`);
  return record;
}

/**
 * KEYS[1]: the stream. ARGV: how many entries, the MAXLEN ~ of each XADD, the events JSON: adds
 * the entries as another instance would, in one atomic step.
 */
const FLOOD = `
for i = 1, tonumber(ARGV[1]) do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'o', 'flood', 'e', ARGV[3])
end
return redis.call('XLEN', KEYS[1])
`;
