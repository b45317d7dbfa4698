/**
 * examples/cluster/ as it runs: three instance processes on one real Redis, and our client
 * (2026-07-28, stateless) behind a round-robin load balancer without sticky sessions, so each
 * request lands on the next instance: tasks, their progress, cancel, the fate of a killed
 * instance's tasks, and one 2025-11-25 session served by all three (shared sessions).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../../src/client/index.js";
import { rejection } from "../rejection.js";
import { Cluster, type Instance } from "./cluster.js";
import { progressOf, TaskListener } from "./task-listener.js";

const run = promisify(execFile);

let cluster: Cluster;
beforeAll(async () => {
  cluster = await Cluster.start();
}, 60_000);
afterAll(() => cluster?.close(), 60_000);

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/**
 * Our client on the stateless revision, through the cluster's round-robin fetch. No progress
 * token (`requestProgress: false`): the client then sends no background `tasks/get` polls, so the
 * rotation the tests read from `cluster.served` is theirs alone.
 */
async function roundRobinClient(): Promise<Client> {
  const client = await Client.connect(cluster.url, {
    protocolVersion: "2026-07-28",
    fetch: cluster.fetch,
    requestProgress: false,
  });
  cleanup.push(() => client.close());
  return client;
}

describe("three instances of examples/cluster on one Redis, behind a round-robin load balancer", () => {
  it("answers in turn from each instance: stateless requests need no sticky sessions", async () => {
    const client = await roundRobinClient();
    const names: unknown[] = [];
    for (let call = 0; call < 3; call++) {
      names.push((await client.callTool("whoami", {})).structuredContent?.instance);
    }
    expect(new Set(names)).toEqual(new Set(["a", "b", "c"]));
    expect(names).toEqual(cluster.servedBy("tools/call").slice(-3));
  });

  it("shows a task created through one instance to all three: tasks/get through each, then its result", async () => {
    const client = await roundRobinClient();
    const task = await client.callTool("report", { steps: 3, stepMs: 1 }, { task: true });
    const creator = cluster.servedBy("tools/call").at(-1);
    const states = [await task.status(), await task.status(), await task.status()];
    expect(new Set(cluster.servedBy("tasks/get").slice(-3))).toEqual(new Set(["a", "b", "c"]));
    for (const state of states) expect(state).toMatchObject({ taskId: task.taskId });
    const result = await task.result();
    expect(result.structuredContent).toEqual({ steps: 3, instance: creator });
    expect(await task.status()).toMatchObject({
      status: "completed",
      progress: { current: 3, total: 3, message: `Step 3 of 3 done on ${creator}` },
    });
  });

  it("lets the other instances read a task's progress mid-run: tasks/get on one, subscriptions/listen on another", async () => {
    const client = await roundRobinClient();
    const task = await client.callTool("slow", { tickMs: 50 }, { task: true });
    cleanup.push(() => task.cancel());
    const runner = await cluster.runnerOf(task.taskId);
    const others = cluster.live.filter((instance) => instance !== runner);
    expect(others).toHaveLength(2);
    const [reader, listener] = others as [Instance, Instance];
    const stream = await TaskListener.open(listener.url, [task.taskId]);
    cleanup.push(() => stream.close());
    // Progress stored on the runner reaches the listener's instance through the Redis event stream.
    const seen = await stream.next((notice) => (progressOf(notice)?.current ?? 0) >= 2);
    expect(seen).toMatchObject({ taskId: task.taskId, status: "working" });
    expect(progressOf(seen)?.message).toMatch(new RegExp(`^Tick \\d+ of \\d+ on ${runner.name}$`));
    const direct = await Client.connect(reader.url, { protocolVersion: "2026-07-28" });
    cleanup.push(() => direct.close());
    const state = await direct.getTask(task.taskId);
    expect(state.status).toBe("working");
    expect(state.progress?.current).toBeGreaterThanOrEqual(progressOf(seen)?.current ?? 0);
  });

  it("stops the handler on the instance running a task when another instance serves tasks/cancel", async () => {
    const client = await roundRobinClient();
    const task = await client.callTool("slow", { tickMs: 50 }, { task: true });
    const runner = await cluster.runnerOf(task.taskId);
    const cancelled = await task.cancel();
    expect(cancelled).toMatchObject({ taskId: task.taskId, status: "cancelled" });
    expect(cluster.servedBy("tasks/cancel").at(-1)).not.toBe(runner.name);
    // The runner's ctx.signal aborted: its handler printed how it stopped.
    const stopped = await runner.process.waitFor(new RegExp(`task ${task.taskId} stopped: slow: (.*)`));
    expect(stopped[1]).toContain("cancelled");
    expect(await rejection(task.result())).toMatchObject({ reason: "task-cancelled" });
  });

  it("fails, never strands, the task of an instance killed with kill -9: the others report task-interrupted", async () => {
    // A fourth instance, so the three stay up for the other tests; it runs the task, then dies.
    const doomed = await cluster.add("d");
    const direct = await Client.connect(doomed.url, {
      protocolVersion: "2026-07-28",
      requestProgress: false,
    });
    const task = await direct.callTool("slow", { tickMs: 50 }, { task: true });
    await doomed.process.waitFor(new RegExp(`task ${task.taskId} started`));
    await direct.close();
    await doomed.process.kill("SIGKILL");
    // Once d's lease in Redis runs out, the next heartbeat of a, b or c fails its task.
    const client = await roundRobinClient();
    const error = await rejection(client.taskResult(task.taskId));
    expect(error).toMatchObject({ code: -32603, reason: "task-interrupted" });
    expect(await client.getTask(task.taskId)).toMatchObject({
      status: "failed",
      statusMessage: "The server stopped before it finished.",
    });
  });

  it("runs examples/cluster/client.ts against the three instances: whoami from each, a task's result, a cancel", async () => {
    const urls = ["a", "b", "c"].map((name) => cluster.instance(name).url);
    const { stdout } = await run(process.execPath, [
      "--import",
      "tsx",
      "examples/cluster/client.ts",
      ...urls,
    ]);
    expect(new Set(stdout.match(/^whoami: .*$/gm))).toEqual(new Set(["whoami: a", "whoami: b", "whoami: c"]));
    expect(stdout).toMatch(/^report: result \{"steps":5,"instance":"[abc]"\}$/m);
    expect(stdout).toMatch(/^slow: cancelled, tasks\/get says cancelled/m);
  });

  it("serves one 2025-11-25 session from all three instances: calls, progress, a task and the end of the session round-robin", async () => {
    const before = cluster.served.length;
    const client = await Client.connect(cluster.url, { protocolVersion: "2025-11-25", fetch: cluster.fetch });
    cleanup.push(() => client.close());
    const sessionId = String(client.sessionId);
    const names: unknown[] = [];
    for (let call = 0; call < 3; call++) {
      names.push((await client.callTool("whoami", {})).structuredContent?.instance);
    }
    expect(new Set(names)).toEqual(new Set(["a", "b", "c"]));

    const steps: number[] = [];
    const result = await client.callTool(
      "report",
      { steps: 3, stepMs: 1 },
      { onProgress: (event) => steps.push(event.progress) },
    );
    expect(result.structuredContent).toMatchObject({ steps: 3 });
    // Coalesced at this pace (1 ms steps): increasing, and the final value always arrives.
    expect(steps.at(-1)).toBe(3);
    expect([...steps].sort((x, y) => x - y)).toEqual(steps);

    const task = await client.callTool("report", { steps: 2, stepMs: 1 }, { task: true });
    expect(await task.result()).toMatchObject({ structuredContent: { steps: 2 } });
    // tasks/list and tasks/get of the session's owner, each answered by the next instance.
    const listedBy: string[] = [];
    for (let ask = 0; ask < 3; ask++) {
      const { tasks } = await client.listTasks();
      listedBy.push(cluster.served.at(-1)?.instance ?? "");
      expect(tasks.map((listed) => listed.taskId)).toContain(task.taskId);
      expect(await client.getTask(task.taskId)).toMatchObject({ status: "completed" });
    }
    expect(new Set(listedBy).size).toBeGreaterThan(1);
    expect(new Set(cluster.served.slice(before).map((entry) => entry.instance))).toEqual(
      new Set(["a", "b", "c"]),
    );
    await client.close();
    // The session ended on whichever instance took the DELETE: the others forget it too.
    for (const name of ["a", "b", "c"]) {
      const response = await fetch(cluster.instance(name).url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-session-id": sessionId,
          "mcp-protocol-version": "2025-11-25",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      expect(response.status).toBe(404);
    }
  });
});
