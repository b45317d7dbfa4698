/**
 * A dedicated worker process on a Redis job queue (`server.runWorker()`, no transport), for the
 * crash tests: its tools say on stdout when a job starts, then wait until aborted, so the test
 * can `kill -9` it mid-task. Short lock settings come from the arguments.
 * Run: node --import tsx test/redis/queue-worker-process.ts <redis url> <prefix> <lockMs> <stalledMs>
 */
import { FastestMCP } from "../../src/index.js";
import { redisBackend } from "../../src/redis.js";

const [url, prefix, lockMs, stalledMs] = process.argv.slice(2) as [string, string, string, string];

function say(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Says it started, then runs until its signal aborts. */
function hang(tool: string) {
  return async (
    _args: Record<string, unknown>,
    ctx: { taskId?: string | undefined; signal: AbortSignal },
  ) => {
    say({ event: "started", tool, taskId: ctx.taskId });
    await new Promise((_resolve, reject) => {
      ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
    });
    return { ranOn: "child" };
  };
}

const queue = { work: false, lockDurationMs: Number(lockMs), stalledIntervalMs: Number(stalledMs) };
const server = FastestMCP.server("queue-worker", { backend: redisBackend({ url, prefix, queue }) })
  .addTool("idem", hang("idem"), { task: true, annotations: { idempotentHint: true } })
  .addTool("once", hang("once"), { task: true });

await server.runWorker();
say({ event: "ready", pid: process.pid });
