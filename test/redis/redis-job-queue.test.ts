/**
 * Background tasks as jobs on a BullMQ queue in a real redis-server: two servers ("instances")
 * on one prefix in this process, A accepting calls (`queue: { work: false }`) and W running jobs
 * (`runWorker()`). What a caller of A sees must be what an in-process run shows: progress on its
 * token, the result from tasks/result, cancellation reaching the handler, both protocol revisions.
 */
import { createConnection } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Client } from "../../src/client/index.js";
import { FastestMCP } from "../../src/index.js";
import type { RedisJobQueueOptions } from "../../src/redis/redis-queue-options.js";
import { redisBackend } from "../../src/redis.js";
import { createDeferred, type Deferred } from "../../src/util/deferred.js";
import { post, terminalGet } from "../server/tasks/task-extension-harness.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

let prefixes = 0;
let lastPrefix = "";
/** The prefix of the last {@link pair}. */
const pairPrefix = () => lastPrefix;

/** Whether `key` exists, asked over a plain socket (EXISTS). */
function redisKeyExists(key: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port: redis.port });
    let reply = "";
    socket.setEncoding("utf8");
    socket.once("connect", () =>
      socket.write(`*2\r\n$6\r\nEXISTS\r\n$${Buffer.byteLength(key)}\r\n${key}\r\n`),
    );
    socket.on("data", (chunk) => {
      reply += chunk;
      if (!reply.includes("\r\n")) return;
      socket.destroy();
      resolve(reply.startsWith(":1"));
    });
    socket.once("error", reject);
  });
}

/** What one test's `gated` handlers report, by task id. */
interface Seen {
  started: Map<string, Deferred<string>>;
  /** How many times each task's handler started. */
  starts: Map<string, number>;
  aborted: Map<string, Deferred<unknown>>;
  release: Map<string, () => void>;
}

function deferredOf<T>(map: Map<string, Deferred<T>>, taskId: string): Deferred<T> {
  let deferred = map.get(taskId);
  if (deferred === undefined) {
    deferred = createDeferred<T>();
    map.set(taskId, deferred);
  }
  return deferred;
}

/** A server on the shared prefix: `gated` waits until released or aborted, then reports `steps` progress updates and logs. */
function instance(name: string, prefix: string, seen: Seen, queue: RedisJobQueueOptions) {
  const server = FastestMCP.server(name, {
    progressIntervalMs: 0,
    backend: redisBackend({ url: redis.url, prefix, queue }),
  })
    .addTool(
      "gated",
      async ({ steps }, ctx) => {
        const taskId = ctx.taskId as string;
        seen.starts.set(taskId, (seen.starts.get(taskId) ?? 0) + 1);
        deferredOf(seen.started, taskId).resolve(name);
        await new Promise<void>((resolve, reject) => {
          seen.release.set(taskId, resolve);
          ctx.signal.addEventListener("abort", () => {
            deferredOf(seen.aborted, taskId).resolve(ctx.signal.reason);
            reject(ctx.signal.reason);
          });
        });
        const progress = ctx.progress().setTotal(Number(steps));
        for (let step = 1; step <= Number(steps); step++) {
          progress.increment().setMessage(`step ${step}`);
          ctx.log.info(`log ${step}`);
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        return { ranOn: name, steps };
      },
      { task: true, inputSchema: { type: "object", properties: { steps: { type: "number" } } } },
    )
    .addTool(
      "ask",
      async (_args, ctx) => (await ctx.elicit("Who?", { type: "object", properties: {} })).action,
      {
        task: true,
      },
    );
  cleanup.push(() => server.close());
  return server;
}

/** A (accepts only) and W (a worker) on a fresh prefix; W takes jobs once this resolves. */
async function pair() {
  const prefix = `queue-${++prefixes}:`;
  const seen: Seen = { started: new Map(), starts: new Map(), aborted: new Map(), release: new Map() };
  const a = instance("A", prefix, seen, { work: false });
  const w = instance("W", prefix, seen, { work: false });
  await w.runWorker();
  lastPrefix = prefix;
  return { a, w, seen, prefix };
}

describe("tasks on the job queue", () => {
  it("runs a task accepted by A on the worker; A's 2025 client gets its progress and tasks/result its result", async () => {
    const { a, seen } = await pair();
    const handle = await a.listen({ keepAliveMs: 0 });
    cleanup.push(() => handle.close());
    const progress: Array<{ progress: number; message?: string }> = [];
    const client = await Client.connect(handle.url, { protocolVersion: "2025-11-25" });
    cleanup.push(() => client.close());
    const task = await client.callTool(
      "gated",
      { steps: 5 },
      { task: true, onProgress: (p) => progress.push(p) },
    );
    expect(await deferredOf(seen.started, task.taskId).promise).toBe("W");
    // Released once tasks/result waits on A: the task's notifications then ride its stream, in order.
    const answered = task.result();
    const session = [...a.sessions.values()][0];
    await vi.waitFor(() => expect(session?.taskResultWaiters.has(task.taskId)).toBe(true));
    seen.release.get(task.taskId)?.();
    const result = await answered;
    expect(result.structuredContent).toEqual({ ranOn: "W", steps: 5 });
    // The final progress (5 of 5) reached A's client, on the call's token, in increasing order.
    expect(progress.at(-1)).toMatchObject({ progress: 5, total: 5, message: "step 5" });
    const values = progress.map((p) => p.progress);
    expect(values).toEqual([...values].sort((x, y) => x - y));
    expect(await client.getTask(task.taskId)).toMatchObject({ status: "completed", statusMessage: "step 5" });
  });

  it("tells A's 2025 client notifications/tasks/status of a task its worker ran, though the worker holds no session", async () => {
    const { a, seen } = await pair();
    const handle = await a.listen({ keepAliveMs: 0 });
    cleanup.push(() => handle.close());
    const statuses: unknown[] = [];
    const client = await Client.connect(handle.url, {
      protocolVersion: "2025-11-25",
      taskStatusHandler: (task) => statuses.push(task),
    });
    cleanup.push(() => client.close());
    const task = await client.callTool("gated", { steps: 2 }, { task: true });
    expect(await deferredOf(seen.started, task.taskId).promise).toBe("W");
    seen.release.get(task.taskId)?.();
    await vi.waitFor(() =>
      expect(statuses).toContainEqual(expect.objectContaining({ taskId: task.taskId, status: "completed" })),
    );
  });

  it("gives an in-process caller of A its progress, logs and the stored value", async () => {
    const { a, seen } = await pair();
    const logs: string[] = [];
    const updates: number[] = [];
    const task = await a.callTool(
      "gated",
      { steps: 3 },
      { task: true, onProgress: (p) => updates.push(p.current), onLog: (entry) => logs.push(entry.message) },
    );
    expect(await deferredOf(seen.started, task.taskId).promise).toBe("W");
    seen.release.get(task.taskId)?.();
    expect(await a.awaitTask(task, 10_000)).toEqual({ ranOn: "W", steps: 3 });
    expect(updates.at(-1)).toBe(3);
    expect(logs).toEqual(["log 1", "log 2", "log 3"]);
  });

  it("aborts the handler on the worker when A serves tasks/cancel, and does not run the job again", async () => {
    const { a, seen, prefix } = await pair();
    const task = await a.callTool("gated", { steps: 1 }, { task: true });
    await deferredOf(seen.started, task.taskId).promise;
    const cancelled = await a.cancelTask(task);
    expect(cancelled.status).toBe("cancelled");
    const reason = await deferredOf(seen.aborted, task.taskId).promise;
    expect(String((reason as Error).message)).toContain("cancelled");
    expect((await a.fetchTask(task)).status).toBe("cancelled");
    // The job completed (BullMQ removed it), so nothing will run it again.
    const job = `${prefix}queue:tasks:${task.taskId}`;
    await vi.waitFor(async () => expect(await redisKeyExists(job)).toBe(false), { timeout: 5000 });
    expect(seen.starts.get(task.taskId)).toBe(1);
  });

  it("runs a 2026-07-28 tasks-extension call on the worker; tasks/get on A shows its progress and result", async () => {
    const { a, seen } = await pair();
    const created = await post(a, "tools/call", { name: "gated", arguments: { steps: 2 } });
    expect(created.body.result.resultType).toBe("task");
    const taskId = created.body.result.taskId as string;
    expect(await deferredOf(seen.started, taskId).promise).toBe("W");
    seen.release.get(taskId)?.();
    const got = await terminalGet(a, taskId);
    expect(got.body.result).toMatchObject({ status: "completed" });
    expect(got.body.result.result.structuredContent).toEqual({ ranOn: "W", steps: 2 });
  });

  it("parks a queued 2026-07-28 task's ctx.elicit in input_required, shown by tasks/get on A; tasks/update sent to A reaches the worker and resumes it", async () => {
    const { a } = await pair();
    const asking = { extensions: { "io.modelcontextprotocol/tasks": {} }, elicitation: {} };
    const created = await post(a, "tools/call", { name: "ask", arguments: {} }, { capabilities: asking });
    const taskId = created.body.result.taskId as string;
    const waiting = await vi.waitFor(
      async () => {
        const got = await post(a, "tasks/get", { taskId }, { capabilities: asking });
        expect(got.body.result.status).toBe("input_required");
        return got.body.result;
      },
      { timeout: 5000, interval: 20 },
    );
    const [key] = Object.keys(waiting.inputRequests);
    expect(waiting.inputRequests[key as string]).toMatchObject({ method: "elicitation/create" });
    // Sent to A, which does not run the task: the event bus carries the answer to W.
    const inputResponses = { [key as string]: { action: "decline" } };
    expect((await post(a, "tasks/update", { taskId, inputResponses }, { capabilities: asking })).status).toBe(
      200,
    );
    const done = (await terminalGet(a, taskId)).body.result;
    expect(done).toMatchObject({
      status: "completed",
      result: { content: [{ type: "text", text: "decline" }] },
    });
  });

  it("fails a queued 2025 task's ctx.elicit with FMCP_ERR_CLIENT_UNREACHABLE: the worker holds no session", async () => {
    const { a } = await pair();
    // The caller could answer in-process, but not from the worker's process.
    const task = await a.callTool(
      "ask",
      {},
      { task: true, elicitationHandler: () => ({ action: "accept" }) },
    );
    const result = await a.taskResult(task, { timeoutMs: 10_000 });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("job queue's worker");
    expect((await a.fetchTask(task)).status).toBe("failed");
  });

  it("refuses runWorker() on a server without a job queue", async () => {
    const plain = FastestMCP.server("plain");
    cleanup.push(() => plain.close());
    await expect(plain.runWorker()).rejects.toMatchObject({ code: "FMCP_ERR_OPTION_INVALID" });
  });
});

describe("the job queue's ownership of a task", () => {
  it("keeps a queued task running when the instance that accepted it closes: the queue owns it, not that instance's lease", async () => {
    const { a, seen } = await pair();
    const task = await a.callTool("gated", { steps: 1 }, { task: true });
    await deferredOf(seen.started, task.taskId).promise;
    // Closing ends A's lease, which fails the unfinished tasks A runs: this one runs on W.
    await a.close();
    const observer = instance("O", pairPrefix(), seen, { work: false });
    seen.release.get(task.taskId)?.();
    expect(await observer.awaitTask(task, 10_000)).toEqual({ ranOn: "W", steps: 1 });
  });

  it("on a graceful close past closeTimeoutMs, gives an idempotent job back to the queue and fails any other", async () => {
    const prefix = `queue-${++prefixes}:`;
    const seen: Seen = { started: new Map(), starts: new Map(), aborted: new Map(), release: new Map() };
    const a = instance("A", prefix, seen, { work: false });
    const closing = instance("W", prefix, seen, { work: false, closeTimeoutMs: 50 });
    a.addTool(
      "idem",
      async (_args, ctx) => {
        const taskId = ctx.taskId as string;
        seen.starts.set(taskId, (seen.starts.get(taskId) ?? 0) + 1);
        deferredOf(seen.started, taskId).resolve("A");
        return { ranOn: "A" };
      },
      { task: true, annotations: { idempotentHint: true } },
    );
    closing.addTool(
      "idem",
      async (_args, ctx) => {
        deferredOf(seen.started, ctx.taskId as string).resolve("W");
        await new Promise((_resolve, reject) =>
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)),
        );
      },
      { task: true, annotations: { idempotentHint: true } },
    );
    await closing.runWorker();
    const idem = await a.callTool("idem", {}, { task: true });
    const once = await a.callTool("gated", { steps: 1 }, { task: true });
    expect(await deferredOf(seen.started, idem.taskId).promise).toBe("W");
    expect(await deferredOf(seen.started, once.taskId).promise).toBe("W");
    seen.started.delete(idem.taskId);
    await closing.close();
    const failed = await a.fetchTask(once);
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed.statusMessage).toContain("shut down before it finished; not retried");
    // The idempotent job went back to the queue: the next worker runs it.
    expect((await a.fetchTask(idem)).status).toBe("working");
    await a.runWorker();
    expect(await a.awaitTask(idem, 10_000)).toEqual({ ranOn: "A" });
  });

  it("hands a job back when the worker that took it has no such tool, so a worker that has it runs it", async () => {
    const prefix = `queue-${++prefixes}:`;
    const seen: Seen = { started: new Map(), starts: new Map(), aborted: new Map(), release: new Map() };
    const a = instance("A", prefix, seen, { work: false });
    const handedBack = createDeferred<string>();
    const old = FastestMCP.server("old", {
      backend: redisBackend({
        url: redis.url,
        prefix,
        queue: { work: false },
        events: { logger: { warn: (message) => handedBack.resolve(message), error: () => undefined } },
      }),
    });
    cleanup.push(() => old.close());
    const oldWorker = await old.runWorker();
    const task = await a.callTool("gated", { steps: 1 }, { task: true });
    // The old worker takes the job, finds no "gated" tool and hands it back (delayed 1 s).
    expect(await handedBack.promise).toMatch(/gated/);
    // Which live worker BullMQ gives a job to is not ours to pick: with the old one gone, W runs it.
    await oldWorker.close();
    const w = instance("W", prefix, seen, { work: false });
    await w.runWorker();
    expect(await deferredOf(seen.started, task.taskId).promise).toBe("W");
    seen.release.get(task.taskId)?.();
    expect(await a.awaitTask(task, 10_000)).toEqual({ ranOn: "W", steps: 1 });
  });
});
