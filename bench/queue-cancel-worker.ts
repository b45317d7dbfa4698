/**
 * The worker process of bench/queue-cancel.ts: a dedicated worker (`server.runWorker()`) whose
 * `hang` tool says when it starts and when its signal aborts (with the time, in epoch ms from
 * the high-resolution clock, which both processes share).
 * Run: node bench/.build/bench/queue-cancel-worker.js <redis url> <prefix>
 */
import { FastestMCP } from "../src/index.js";
import { redisBackend } from "../src/redis.js";

const [url, prefix] = process.argv.slice(2) as [string, string];
const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

const server = FastestMCP.server("cancel-worker", {
  backend: redisBackend({ url, prefix, queue: { work: false } }),
}).addTool(
  "hang",
  async (_args, ctx) => {
    say({ event: "started", taskId: ctx.taskId });
    await new Promise((_resolve, reject) => {
      ctx.signal.addEventListener(
        "abort",
        () => {
          say({ event: "aborted", taskId: ctx.taskId, at: performance.timeOrigin + performance.now() });
          reject(ctx.signal.reason);
        },
        { once: true },
      );
    });
  },
  { task: true },
);
await server.runWorker();
say({ event: "ready" });
