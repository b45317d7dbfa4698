/**
 * A worker process killed mid-task (`kill -9`) on a real Redis job queue: the job of a tool
 * annotated idempotentHint runs again on another worker and completes; any other tool's task
 * ends `failed` with a statusMessage that says why. Never left `working`. Short lock settings
 * (1 s lock, 0.5 s stalled check) keep it quick; the defaults are checked in redis-queue-options.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/index.js";
import { NOT_RETRIED_MESSAGE } from "../../src/redis/redis-job-queue.js";
import { redisBackend } from "../../src/redis.js";
import { StoreProcess } from "../sqlite/store-processes.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const LOCK_MS = 1000;
const STALLED_MS = 500;

describe("a worker process killed mid-task", () => {
  it("retries the idempotentHint task on another worker and fails the other one with a statusMessage", async () => {
    const prefix = "crash:";
    const child = new StoreProcess(
      [redis.url, prefix, String(LOCK_MS), String(STALLED_MS)],
      "test/redis/queue-worker-process.ts",
    );
    cleanup.push(async () => {
      if (child.child.exitCode === null && child.child.signalCode === null) await child.kill();
    });
    await child.next((message) => message.event === "ready");
    // This process accepts the calls; it works only once the child is gone.
    const queue = { work: false, lockDurationMs: LOCK_MS, stalledIntervalMs: STALLED_MS };
    const a = FastestMCP.server("a", { backend: redisBackend({ url: redis.url, prefix, queue }) })
      .addTool("idem", () => ({ ranOn: "a" }), { task: true, annotations: { idempotentHint: true } })
      .addTool("once", () => ({ ranOn: "a" }), { task: true });
    cleanup.push(() => a.close());

    const idem = await a.callTool("idem", {}, { task: true });
    const once = await a.callTool("once", {}, { task: true });
    await child.next((message) => message.event === "started" && message.taskId === idem.taskId);
    await child.next((message) => message.event === "started" && message.taskId === once.taskId);
    await child.kill();
    expect((await a.fetchTask(idem)).status).toBe("working");

    // Another worker: its stalled check finds the dead worker's jobs once their locks lapse.
    await a.runWorker();
    expect(await a.awaitTask(idem, 30_000)).toEqual({ ranOn: "a" });
    expect(await a.fetchTask(idem)).toMatchObject({ status: "completed" });
    const failed = await a.awaitTask(once, 30_000).catch((error: unknown) => error);
    expect(failed).toMatchObject({ reason: "task-interrupted" });
    expect(await a.fetchTask(once)).toMatchObject({ status: "failed", statusMessage: NOT_RETRIED_MESSAGE });
  });
});
