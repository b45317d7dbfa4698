/**
 * A FastestMCP server in its own process on a Redis backend, driven like test/sqlite/store-process.ts
 * (JSON lines on stdin, answers and events on stdout; see test/sqlite/store-processes.ts). Its
 * `gated` tool reports progress (and logs a line) `steps` times, then waits until it is released or
 * aborted.
 * Run: node --import tsx test/redis/redis-process.ts <redis url> <prefix> <leaseMs>
 */
import { createInterface } from "node:readline";
import { FastestMCP } from "../../src/index.js";
import { redisBackend } from "../../src/redis.js";

const [url, prefix, leaseMs] = process.argv.slice(2) as [string, string, string];
const release = new Map<string, () => void>();

function say(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const server = FastestMCP.server("redis-process", {
  progressIntervalMs: 0,
  backend: redisBackend({ url, prefix, tasks: { leaseMs: Number(leaseMs) } }),
  tasks: { storePollIntervalMs: 20 },
}).addTool(
  "gated",
  async ({ steps }, ctx) => {
    const taskId = ctx.taskId as string;
    const progress = ctx.progress().setTotal(100);
    for (let step = 1; step <= Number(steps); step++) {
      progress.increment().setMessage(`step ${step}`);
      ctx.log.info(`log ${step}`);
      // Yield like real work: the flusher stores some updates and coalesces others.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    say({ event: "reported", taskId, current: progress.current });
    await new Promise<void>((resolve, reject) => {
      release.set(taskId, resolve);
      ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
    }).catch((error) => {
      say({ event: "aborted", taskId, message: String((error as Error).message) });
      throw error;
    });
    return { done: Number(steps) };
  },
  { task: true },
);

const OWNER = { owner: "shared-owner" };
const lines = createInterface({ input: process.stdin });
lines.on("line", async (line) => {
  const command = JSON.parse(line) as { id: number; cmd: string; taskId?: string; steps?: number };
  try {
    let result: unknown;
    if (command.cmd === "start") {
      result = await server.callTool("gated", { steps: command.steps ?? 1 }, { task: true, ...OWNER });
    } else if (command.cmd === "release") {
      release.get(command.taskId as string)?.();
      result = await server.taskResult(command.taskId as string, OWNER);
    } else if (command.cmd === "await") {
      result = await server.awaitTask(command.taskId as string, 20_000, OWNER);
    } else if (command.cmd === "close") {
      await server.close();
      result = "closed";
    }
    say({ id: command.id, result });
  } catch (error) {
    say({ id: command.id, error: String((error as Error).message) });
  }
});
say({ event: "ready", pid: process.pid });
