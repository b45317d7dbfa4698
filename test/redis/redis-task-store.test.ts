import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisTaskStore } from "../../src/redis.js";
import { describeTaskStore } from "../../src/testing.js";
import { ROOMY, record } from "./records.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

let redis: RedisServer;
/** A plain connection to look at what the stores wrote. */
let peek: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  peek = new Redis(redis.url);
});
afterAll(async () => {
  await peek?.quit();
  await redis?.stop();
});

let prefixes = 0;
const nextPrefix = () => `test-${++prefixes}:`;

describeTaskStore(
  "RedisTaskStore",
  () => new RedisTaskStore({ url: redis.url, prefix: nextPrefix() }),
  { describe, it },
  { dispose: (store) => store.close() },
);

/** Every key under `prefix`, without it. */
async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await peek.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    keys.push(...batch.map((key) => key.slice(prefix.length)));
    cursor = next;
  } while (cursor !== "0");
  return keys.sort();
}

/** Two stores on one prefix: two connections, as two instances would have. */
function twoInstances() {
  const prefix = nextPrefix();
  const a = new RedisTaskStore({ url: redis.url, prefix });
  const b = new RedisTaskStore({ url: redis.url, prefix });
  return { prefix, a, b, close: () => Promise.all([a.close(), b.close()]) };
}

describe("RedisTaskStore on a shared Redis", () => {
  it("keeps one owner's quota across instances: concurrent creates through two connections", async () => {
    const { a, b, close } = twoInstances();
    try {
      const quota = { maxTasks: 5, maxResultBytes: 1000 };
      const writes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).create(record(`q-${i}`, "owner-q"), quota)),
      );
      const stored = writes.filter((write) => write !== undefined);
      expect(stored).toHaveLength(5);
      expect(new Set(stored.map((write) => write?.record.seq)).size).toBe(5);
      expect(await b.usage("owner-q")).toEqual({ tasks: 5, unfinished: 5, resultBytes: 0 });
    } finally {
      await close();
    }
  });

  it("lets exactly one instance's terminal write win, and tells the other through finishedSince", async () => {
    const { a, b, close } = twoInstances();
    try {
      await a.create(record("race", "owner-r"), ROOMY);
      const start = await a.finishedSince(undefined);
      const done = { lastUpdatedAt: "2026-01-01T00:00:01.000Z" };
      const [completed, cancelled] = await Promise.all([
        a.complete("race", { ...done, status: "completed" }, 3, ROOMY),
        b.complete("race", { ...done, status: "cancelled" }, 3, ROOMY),
      ]);
      expect([completed, cancelled].filter((write) => write !== undefined)).toHaveLength(1);
      expect((await a.finishedSince(start.cursor)).taskIds).toEqual(["race"]);
      expect((await b.usage("owner-r")).resultBytes).toBe(3);
    } finally {
      await close();
    }
  });

  it("pages stably while another instance creates tasks between pages", async () => {
    const { a, b, close } = twoInstances();
    try {
      for (let i = 0; i < 4; i++) await a.create(record(`p-${i}`, "owner-p"), ROOMY);
      const first = await b.list("owner-p", { limit: 3 });
      for (let i = 4; i < 6; i++) await a.create(record(`p-${i}`, "owner-p"), ROOMY);
      const second = await b.list("owner-p", { cursor: first.nextCursor, limit: 10 });
      expect([...first.tasks, ...second.tasks].map((task) => task.taskId)).toEqual([
        "p-0",
        "p-1",
        "p-2",
        "p-3",
        "p-4",
        "p-5",
      ]);
    } finally {
      await close();
    }
  });
});

describe("RedisTaskStore keys", () => {
  it("keeps ids and owners opaque: look-alike strings never share a key", async () => {
    const prefix = nextPrefix();
    const store = new RedisTaskStore({ url: redis.url, prefix });
    try {
      const owners = ["a", "a:", "all:a", "done:a", "a b", "{a}", "ünï 𝄞", "a\r\nDEL x", ""];
      for (const [i, owner] of owners.entries()) {
        await store.create(record(`${owner}:t:${i}`, owner), ROOMY);
        await store.create(record(`t:${owner}${i}`, owner), ROOMY);
      }
      for (const [i, owner] of owners.entries()) {
        const page = await store.list(owner, { limit: 10 });
        expect(page.tasks.map((task) => task.taskId)).toEqual([`${owner}:t:${i}`, `t:${owner}${i}`]);
        expect((await store.usage(owner)).tasks).toBe(2);
      }
    } finally {
      await store.close();
    }
  });

  it("leaves nothing of a task behind once it expired: no record, index entry or charge", async () => {
    const prefix = nextPrefix();
    const store = new RedisTaskStore({ url: redis.url, prefix });
    try {
      const now = Date.now();
      // More than one expire batch (500), finished and unfinished, over several owners.
      const pipeline = Array.from({ length: 1100 }, (_, i) =>
        store.create(record(`e-${i}`, `owner-${i % 3}`, now - 1), ROOMY),
      );
      await Promise.all(pipeline);
      for (let i = 0; i < 30; i++) {
        const patch = { status: "completed" as const, lastUpdatedAt: "2026-01-01T00:00:01.000Z" };
        await store.complete(`e-${i}`, patch, 10, ROOMY);
      }
      const kept = await store.create(record("forever", "owner-0", null), ROOMY);
      const expired = await store.expire(now);
      expect(expired).toHaveLength(1100);
      expect(await store.usage("owner-1")).toEqual({ tasks: 0, unfinished: 0, resultBytes: 0 });
      expect((await store.list("owner-0", { limit: 10 })).tasks).toEqual([kept?.record]);
      // Only the counters, the finished-id log (trimmed, read by finishedSince), this instance's
      // lease and the live task stay.
      const keys = await keysUnder(prefix);
      const running = keys.filter((key) => key.startsWith("running:"));
      expect(keys.filter((key) => !running.includes(key))).toEqual([
        "all:owner-0",
        "finlog",
        "finseq",
        "runners",
        "seq",
        "t:forever",
      ]);
      expect(running).toHaveLength(1);
      expect(await peek.smembers(`${prefix}${running[0]}`)).toEqual(["forever"]);
    } finally {
      await store.close();
    }
  });

  it("keeps stores with different prefixes apart on one Redis", async () => {
    const one = new RedisTaskStore({ url: redis.url, prefix: nextPrefix() });
    const two = new RedisTaskStore({ url: redis.url, prefix: nextPrefix() });
    try {
      await one.create(record("same-id", "owner"), ROOMY);
      expect(await two.get("same-id")).toBeUndefined();
      expect((await two.list("owner", { limit: 5 })).tasks).toEqual([]);
      expect((await two.create(record("same-id", "owner"), ROOMY))?.record.seq).toBe(1);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it("trims the finished-id log to finishedLogSize", async () => {
    const store = new RedisTaskStore({ url: redis.url, prefix: nextPrefix(), finishedLogSize: 2 });
    try {
      const start = await store.finishedSince(undefined);
      for (const id of ["f-1", "f-2", "f-3"]) {
        await store.create(record(id, "owner"), ROOMY);
        await store.complete(id, { status: "failed", lastUpdatedAt: "2026-01-01T00:00:01.000Z" }, 1, ROOMY);
      }
      expect(await store.finishedSince(start.cursor)).toEqual({
        taskIds: ["f-2", "f-3"],
        cursor: start.cursor + 3,
      });
    } finally {
      await store.close();
    }
  });

  it("runs its scripts by SHA: each script's source is sent at most once", async () => {
    await peek.config("RESETSTAT");
    const store = new RedisTaskStore({ url: redis.url, prefix: nextPrefix() });
    try {
      for (let i = 0; i < 20; i++) {
        await store.create(record(`s-${i}`, "owner"), ROOMY);
        await store.updateProgress([
          { taskId: `s-${i}`, progress: { current: i, reportedAt: new Date().toISOString() } },
        ]);
        await store.update(`s-${i}`, { statusMessage: "two" });
      }
      const stats = await peek.info("commandstats");
      const calls = (command: string) =>
        Number(stats.match(new RegExp(`cmdstat_${command}:calls=(\\d+)`))?.[1] ?? 0);
      // 60 script runs; ioredis sends a script's source (EVAL) only where Redis does not know its SHA yet.
      // (and the lease's heartbeat, at least once).
      expect(calls("evalsha") + calls("eval")).toBeGreaterThanOrEqual(61);
      expect(calls("eval") + calls("script|load")).toBeLessThanOrEqual(4);
    } finally {
      await store.close();
    }
  });
});
