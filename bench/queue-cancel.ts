/**
 * Cross-process cancel latency on the Redis job queue: this process accepts the tasks (`queue: {
 * work: false }`), a worker process runs them; for each task, the time from `cancelTask` here to
 * the handler's `ctx.signal` aborting in the worker (both read one clock), p50/p99/max, and the
 * cancel's own round trip. The issue asks < 100 ms. Run: `npm run bench:queue-cancel` (env
 * CANCELS, default 200; REDIS_URL, else a redis-server started for the run).
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { FastestMCP } from "../src/index.js";
import { redisBackend } from "../src/redis.js";
import { type RedisServer, startRedisServer } from "../test/redis/redis-server.js";

const CANCELS = Number(process.env.CANCELS ?? 200);
const redisServer: RedisServer | undefined =
  process.env.REDIS_URL === undefined ? await startRedisServer() : undefined;
const url = process.env.REDIS_URL ?? (redisServer as RedisServer).url;
const prefix = `bench-cancel-${process.pid}:`;

type Message = { event: string; taskId?: string; at?: number };
/** Lines not waited for yet (a worker's line may come before its waiter), and the waiters. */
const arrived = new Map<string, Message>();
const waiting = new Map<string, (message: Message) => void>();
const worker = spawn(
  process.execPath,
  [new URL("./queue-cancel-worker.js", import.meta.url).pathname, url, prefix],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
createInterface({ input: worker.stdout }).on("line", (line) => {
  const message = JSON.parse(line) as Message;
  const key = `${message.event}:${message.taskId ?? ""}`;
  const waiter = waiting.get(key);
  waiting.delete(key);
  if (waiter === undefined) arrived.set(key, message);
  else waiter(message);
});
const next = (event: string, taskId = "") =>
  new Promise<Message>((resolve) => {
    const key = `${event}:${taskId}`;
    const early = arrived.get(key);
    arrived.delete(key);
    if (early === undefined) waiting.set(key, resolve);
    else resolve(early);
  });

await next("ready");
const server = FastestMCP.server("bench-cancel", {
  backend: redisBackend({ url, prefix, queue: { work: false } }),
}).addTool("hang", () => undefined, { task: true });

const now = () => performance.timeOrigin + performance.now();
const toAbort: number[] = [];
const roundTrip: number[] = [];
for (let i = 0; i < CANCELS; i++) {
  const task = await server.callTool("hang", {}, { task: true });
  await next("started", task.taskId);
  const aborted = next("aborted", task.taskId);
  const sent = now();
  await server.cancelTask(task);
  roundTrip.push(now() - sent);
  toAbort.push(((await aborted).at as number) - sent);
}
await server.close();
worker.kill();
await redisServer?.stop();

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
};
const row = (name: string, values: number[]) =>
  `| ${name} | ${quantile(values, 0.5).toFixed(2)} ms | ${quantile(values, 0.99).toFixed(2)} ms | ${Math.max(...values).toFixed(2)} ms |`;
console.log(`| cross-process cancel (${CANCELS} tasks, Redis on loopback) | p50 | p99 | max |`);
console.log("| --- | --- | --- | --- |");
console.log(row("tasks/cancel served here → ctx.signal aborted in the worker", toAbort));
console.log(row("cancelTask round trip (status stored as cancelled)", roundTrip));
