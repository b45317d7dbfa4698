/**
 * A FastestMCP server in its own process on a shared SQLite task store, driven by JSON lines on
 * stdin and reporting on stdout (see store-processes.ts). Its `gated` tool reports progress
 * `steps` times, then waits until it is released or aborted.
 * Run: node --import tsx test/sqlite/store-process.ts <path>
 */
import { createInterface } from "node:readline";
import { FastestMCP } from "../../src/index.js";
import { SqliteTaskStore } from "../../src/sqlite.js";

const path = process.argv[2] as string;
const store = new SqliteTaskStore({ path, leaseMs: 3000 });
const release = new Map<string, () => void>();

function say(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const server = FastestMCP.server("store-process", {
  progressIntervalMs: 0,
  tasks: { store, storePollIntervalMs: 20 },
}).addTool(
  "gated",
  async ({ steps }, ctx) => {
    const taskId = ctx.taskId as string;
    const progress = ctx.progress().setTotal(100);
    for (let step = 1; step <= Number(steps); step++) progress.increment().setMessage(`step ${step}`);
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
  const command = JSON.parse(line) as {
    id: number;
    cmd: string;
    taskId?: string;
    steps?: number;
    ttl?: number;
  };
  try {
    let result: unknown;
    if (command.cmd === "start") {
      const task = { ttl: command.ttl ?? 3_600_000 };
      result = await server.callTool("gated", { steps: command.steps ?? 1 }, { task, ...OWNER });
    } else if (command.cmd === "release") {
      release.get(command.taskId as string)?.();
      result = await server.taskResult(command.taskId as string, OWNER);
    } else if (command.cmd === "cancel") {
      result = await server.cancelTask(command.taskId as string, OWNER);
    } else if (command.cmd === "await") {
      result = await server.awaitTask(command.taskId as string, 20_000, OWNER);
    }
    say({ id: command.id, result });
  } catch (error) {
    say({ id: command.id, error: String((error as Error).message) });
  }
});
say({ event: "ready", pid: process.pid });
