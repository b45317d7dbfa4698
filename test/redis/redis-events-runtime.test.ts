import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/index.js";
import { redisBackend } from "../../src/redis.js";
import type { TaskActivityListener } from "../../src/tasks/task-events.js";
import type { SentMessage } from "../server/session/session-harness.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

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
});
