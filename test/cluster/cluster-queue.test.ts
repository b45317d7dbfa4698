/**
 * examples/cluster/ on its job queue: three instances that accept tasks and leave every job to
 * the workers (worker.ts processes), one real Redis, and clients behind a round-robin
 * load balancer. Issue 17's multi-instance test: where a task runs is no longer where it was
 * accepted, a killed worker's job is noticed (lock 1.5 s, check 0.5 s here) and retried when its
 * tool is idempotentHint, failed with a reason otherwise; cancel and progress cross processes.
 */
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Client } from "../../src/client/index.js";
import type { RemoteTaskState } from "../../src/client/remote-task.js";
import { Cluster } from "./cluster.js";

let cluster: Cluster;
let workers = 0;
beforeAll(async () => {
  cluster = await Cluster.start({ queue: { lockMs: 1500, stalledMs: 500 } });
  await Promise.all([cluster.addWorker(`w${++workers}`), cluster.addWorker(`w${++workers}`)]);
}, 60_000);
afterAll(() => cluster?.close(), 60_000);

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function statelessClient(): Promise<Client> {
  const client = await Client.connect(cluster.url, {
    protocolVersion: "2026-07-28",
    fetch: cluster.fetch,
    requestProgress: false,
  });
  cleanup.push(() => client.close());
  return client;
}

function checksum(text: string, rounds: number): string {
  let digest = text;
  for (let round = 0; round < rounds; round++) digest = createHash("sha256").update(digest).digest("hex");
  return digest;
}

describe("examples/cluster on the job queue: three instances, workers, one Redis", () => {
  it("runs a task accepted through the load balancer on a worker; a round-robin 2025 session hears its progress, its status and gets its result", async () => {
    const statuses: RemoteTaskState[] = [];
    const client = await Client.connect(cluster.url, {
      protocolVersion: "2025-11-25",
      fetch: cluster.fetch,
      taskStatusHandler: (task) => statuses.push(task),
    });
    cleanup.push(() => client.close());
    const progress: number[] = [];
    const task = await client.callTool(
      "report",
      { steps: 4, stepMs: 100 },
      { task: true, onProgress: (event) => progress.push(event.progress) },
    );
    const worker = await cluster.workerOf(task.taskId);
    expect(worker.name).toMatch(/^w\d+$/);
    const result = await task.result();
    expect(result.structuredContent).toEqual({ steps: 4, instance: worker.name });
    await vi.waitFor(() =>
      expect(statuses).toContainEqual(expect.objectContaining({ taskId: task.taskId, status: "completed" })),
    );
    expect(progress.at(-1)).toBe(4);
    expect([...progress].sort((x, y) => x - y)).toEqual(progress);
  });

  it("runs an idempotentHint task again on another worker when its worker is killed with kill -9, to the same result", async () => {
    await cluster.addWorker(`w${++workers}`);
    const client = await statelessClient();
    const task = await client.callTool(
      "checksum",
      { text: "cluster", rounds: 30, roundMs: 100 },
      { task: true },
    );
    const first = await cluster.workerOf(task.taskId);
    await first.kill("SIGKILL");
    const second = await cluster.workerOf(task.taskId, [first]);
    expect(second.name).not.toBe(first.name);
    const result = await task.result();
    expect(result.structuredContent).toEqual({
      sha256: checksum("cluster", 30),
      rounds: 30,
      instance: second.name,
    });
  }, 60_000);

  it("fails a task whose worker is killed with kill -9 when its tool is not idempotentHint, saying why: never stuck working", async () => {
    await cluster.addWorker(`w${++workers}`);
    const client = await statelessClient();
    const task = await client.callTool("slow", { tickMs: 50 }, { task: true });
    const worker = await cluster.workerOf(task.taskId);
    await worker.kill("SIGKILL");
    const ended = await vi.waitFor(
      async () => {
        const state = await client.getTask(task.taskId);
        expect(state.status).toBe("failed");
        return state;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(ended.statusMessage).toMatch(/idempotentHint/);
  }, 60_000);

  it("aborts the handler on the worker when an instance serves tasks/cancel", async () => {
    const client = await statelessClient();
    const task = await client.callTool("slow", { tickMs: 50 }, { task: true });
    const worker = await cluster.workerOf(task.taskId);
    expect(await task.cancel()).toMatchObject({ taskId: task.taskId, status: "cancelled" });
    const stopped = await worker.waitFor(new RegExp(`task ${task.taskId} stopped: slow: (.*)`));
    expect(stopped[1]).toContain("cancelled");
  });
});
