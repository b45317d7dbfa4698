/**
 * Background-task throughput, in-process: N concurrent tasks, each reporting M progress updates.
 * Checks that every task completes and that the stored final progress is exact; prints wall time,
 * updates per second and peak RSS (and, on SQLite, the writes it took). Run: `npm run bench:tasks`
 * (env TASKS, STEPS, INTERVAL_MS, FLUSH_MS; `-- --store sqlite` for a SqliteTaskStore in a temporary file;
 * `-- --store redis` for a RedisTaskStore on REDIS_URL, or else on a redis-server started for the run;
 * `-- --store redis --events` also publishes every task event to a RedisTaskEvents stream, as
 * `redisBackend` does; `-- --store redis --queue` runs every task as a job on the BullMQ queue
 * of `redisBackend({ url, queue })` (store, events and queue), worked by this same process with
 * env QUEUE_CONCURRENCY jobs at once, default the queue's 32: compare it with `--events`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FastestMCP, MemoryTaskStore, type TaskStore } from "../src/index.js";
import { QUEUE_DEFAULTS, RedisTaskEvents, RedisTaskStore, redisBackend } from "../src/redis.js";
import { SqliteTaskStore } from "../src/sqlite.js";
import { type RedisServer, startRedisServer } from "../test/redis/redis-server.js";

const TASKS = Number(process.env.TASKS ?? 10_000);
const STEPS = Number(process.env.STEPS ?? 100);
const INTERVAL_MS = Number(process.env.INTERVAL_MS ?? 50);
/** The runtime's progressFlushMs (default: the store's own). */
const FLUSH_MS = process.env.FLUSH_MS === undefined ? undefined : Number(process.env.FLUSH_MS);
const storeArg = process.argv.indexOf("--store");
const STORE = storeArg === -1 ? "memory" : process.argv[storeArg + 1];
if (STORE !== "memory" && STORE !== "sqlite" && STORE !== "redis") {
  throw new Error(`--store memory|sqlite|redis, got ${STORE}`);
}
const QUEUE = process.argv.includes("--queue");
if (QUEUE && STORE !== "redis") throw new Error("--queue needs --store redis");
const QUEUE_CONCURRENCY = Number(process.env.QUEUE_CONCURRENCY ?? QUEUE_DEFAULTS.concurrency);
const dir = STORE === "sqlite" ? mkdtempSync(join(tmpdir(), "bench-tasks-")) : undefined;
const redisServer: RedisServer | undefined =
  STORE === "redis" && process.env.REDIS_URL === undefined ? await startRedisServer() : undefined;
const backend = QUEUE
  ? redisBackend({
      url: process.env.REDIS_URL ?? (redisServer as RedisServer).url,
      prefix: `bench-tasks-${process.pid}:`,
      queue: { concurrency: QUEUE_CONCURRENCY },
    })
  : undefined;
const store: TaskStore =
  backend !== undefined
    ? backend.taskStore
    : STORE === "redis"
      ? new RedisTaskStore({
          url: process.env.REDIS_URL ?? (redisServer as RedisServer).url,
          prefix: `bench-tasks-${process.pid}:`,
        })
      : dir === undefined
        ? new MemoryTaskStore()
        : new SqliteTaskStore({ path: join(dir, "tasks.db") });

const events =
  STORE === "redis" && !QUEUE && process.argv.includes("--events")
    ? new RedisTaskEvents({
        url: process.env.REDIS_URL ?? (redisServer as RedisServer).url,
        prefix: `bench-tasks-${process.pid}:`,
      })
    : undefined;

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20);

const server = FastestMCP.server("bench-tasks", {
  progressIntervalMs: INTERVAL_MS,
  backend,
  tasks: {
    ...(backend === undefined ? { store, events } : {}),
    maxTasksPerOwner: TASKS,
    ...(FLUSH_MS === undefined ? {} : { progressFlushMs: FLUSH_MS }),
  },
}).addTool(
  "work",
  async (_args, ctx) => {
    const progress = ctx.progress().setTotal(STEPS);
    for (let step = 1; step <= STEPS; step++) {
      progress.increment().setMessage(`step ${step}`);
      // Yield like real work does, so all tasks interleave.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { steps: progress.current };
  },
  { task: true },
);

const started = performance.now();
const tasks = await Promise.all(
  Array.from({ length: TASKS }, () => server.callTool("work", {}, { task: true })),
);
const values = await Promise.all(tasks.map((task) => server.awaitTask<{ steps: number }>(task)));
const wallMs = performance.now() - started;
peakRss = Math.max(peakRss, process.memoryUsage.rss());

let lost = 0;
for (const [index, task] of tasks.entries()) {
  const info = await server.fetchTask(task);
  const ok =
    info.status === "completed" &&
    values[index]?.steps === STEPS &&
    info.progress?.current === STEPS &&
    info.progress.message === `step ${STEPS}`;
  if (!ok) lost++;
}
clearInterval(sampler);
await server.close();
const writes = store instanceof SqliteTaskStore ? store.writes : undefined;
if (store instanceof SqliteTaskStore) store.close();
await events?.close();
if (store instanceof RedisTaskStore && backend === undefined) await store.close();
await redisServer?.stop();
if (dir !== undefined) rmSync(dir, { recursive: true, force: true });

const updates = TASKS * STEPS * 2; // increment + setMessage per step
const rows = [
  [
    "store",
    { sqlite: "SqliteTaskStore (file, WAL)", redis: "RedisTaskStore (loopback)", memory: "MemoryTaskStore" }[
      STORE
    ] +
      (events === undefined ? "" : " + RedisTaskEvents") +
      (QUEUE ? ` + RedisTaskEvents + BullMQ queue (concurrency ${QUEUE_CONCURRENCY})` : ""),
  ],
  ["tasks", TASKS.toLocaleString("en")],
  ["progress updates per task", String(STEPS * 2)],
  ["coalescing interval", `${INTERVAL_MS} ms`],
  ["progress flush interval", `${FLUSH_MS ?? (store as TaskStore).progressFlushMs ?? 0} ms`],
  [
    "completed with exact final state",
    `${(TASKS - lost).toLocaleString("en")} / ${TASKS.toLocaleString("en")}`,
  ],
  ["wall time", `${wallMs.toFixed(0)} ms`],
  ["tasks/s", Math.round(TASKS / (wallMs / 1000)).toLocaleString("en")],
  ["updates/s", Math.round(updates / (wallMs / 1000)).toLocaleString("en")],
  ["peak RSS", `${(peakRss / 1024 / 1024).toFixed(0)} MiB`],
];
if (writes !== undefined) {
  rows.push(
    ["SQLite write transactions", writes.transactions.toLocaleString("en")],
    ["SQLite write statements", writes.statements.toLocaleString("en")],
  );
}
console.log("| background tasks (in-process) | value |\n| --- | --- |");
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
if (lost > 0) process.exitCode = 1;
