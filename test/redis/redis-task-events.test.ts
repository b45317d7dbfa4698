import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisTaskEvents } from "../../src/redis.js";
import type { SharedTaskEvent } from "../../src/tasks/task-event-bus.js";
import type { TaskRecord } from "../../src/tasks/task-record.js";
import { createDeferred } from "../../src/util/deferred.js";
import type { DiagnosticLogger } from "../../src/util/diagnostics.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

let redis: RedisServer;
let admin: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  admin = new Redis(redis.url);
});
afterAll(async () => {
  await admin?.quit();
  await redis?.stop();
});

let prefixes = 0;
const open: RedisTaskEvents[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((bus) => bus.close()));
});

function bus(
  prefix: string,
  options: { maxLen?: number; blockMs?: number; logger?: DiagnosticLogger } = {},
): RedisTaskEvents {
  const made = new RedisTaskEvents({ url: redis.url, prefix, ...options });
  open.push(made);
  return made;
}

/** What a bus delivers, and a way to wait until `count` events arrived. */
function collector() {
  const events: SharedTaskEvent[] = [];
  const waits: Array<{ count: number; resolve: () => void }> = [];
  return {
    events,
    deliver(event: SharedTaskEvent) {
      events.push(event);
      for (const wait of [...waits]) {
        if (events.length >= wait.count) {
          waits.splice(waits.indexOf(wait), 1);
          wait.resolve();
        }
      }
    },
    until(count: number): Promise<void> {
      if (events.length >= count) return Promise.resolve();
      return new Promise((resolve) => waits.push({ count, resolve }));
    },
  };
}

function task(
  taskId: string,
  status: TaskRecord["status"] = "working",
  extra: Partial<TaskRecord> = {},
): TaskRecord {
  const at = "2026-01-01T00:00:00.000Z";
  return {
    taskId,
    owner: "o",
    toolName: "t",
    status,
    createdAt: at,
    lastUpdatedAt: at,
    ttl: 60_000,
    expiresAt: null,
    seq: 1,
    ...extra,
  };
}

function progress(taskId: string, current: number): SharedTaskEvent {
  return {
    type: "progress",
    task: task(taskId),
    progress: { current, reportedAt: "2026-01-01T00:00:00.000Z" },
  };
}

/**
 * KEYS[1]: the stream. ARGV: how many entries, the MAXLEN ~ of each XADD, the events JSON. Adds
 * the entries as another instance would, all in one atomic step.
 */
const FLOOD = `
for i = 1, tonumber(ARGV[1]) do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'o', 'flood', 'e', ARGV[3])
end
return redis.call('XLEN', KEYS[1])
`;

const currents = (events: SharedTaskEvent[]) =>
  events.map((event) => (event.type === "progress" ? event.progress.current : event.type));

describe("RedisTaskEvents", () => {
  it("delivers another instance's events once each, in the order published, and never an instance its own", async () => {
    const prefix = `bus-${++prefixes}:`;
    const a = bus(prefix);
    const b = bus(prefix);
    const seenByA = collector();
    const seenByB = collector();
    await Promise.all([a.start(seenByA.deliver), b.start(seenByB.deliver)]);
    // More than one entry holds (500 events each), in one turn and over several.
    for (let step = 1; step <= 1200; step++) a.publish(progress("t1", step));
    for (let step = 1201; step <= 1500; step++) {
      a.publish(progress("t1", step));
      if (step % 100 === 0) await a.flush();
    }
    a.publish({
      type: "status",
      task: task("t1", "completed", { result: { content: [{ type: "text", text: "big" }] } }),
    });
    b.publish({
      type: "log",
      taskId: "t2",
      owner: "o",
      entry: { level: "info", message: "hi", logger: "s", timestamp: "x" },
    });
    await Promise.all([seenByB.until(1501), seenByA.until(1)]);
    await Promise.all([a.flush(), b.flush()]);
    expect(currents(seenByB.events)).toEqual([...Array.from({ length: 1500 }, (_, i) => i + 1), "status"]);
    // The record crosses without its result: a waiter reads that from the store.
    expect(seenByB.events.at(-1)).toMatchObject({
      type: "status",
      task: { taskId: "t1", status: "completed" },
    });
    expect((seenByB.events.at(-1) as { task: TaskRecord }).task.result).toBeUndefined();
    expect(seenByA.events).toEqual([
      {
        type: "log",
        taskId: "t2",
        owner: "o",
        entry: { level: "info", message: "hi", logger: "s", timestamp: "x" },
      },
    ]);
  });

  it("starts after the newest event: what was published before start is not delivered", async () => {
    const prefix = `bus-${++prefixes}:`;
    const a = bus(prefix);
    a.publish(progress("old", 1));
    await a.flush();
    const b = bus(prefix);
    const seen = collector();
    await b.start(seen.deliver);
    a.publish(progress("new", 2));
    await seen.until(1);
    expect(currents(seen.events)).toEqual([2]);
  });

  it("resumes from the last event it read when its read connection is killed: none lost, none repeated", async () => {
    const prefix = `bus-${++prefixes}:`;
    const a = bus(prefix);
    const b = bus(prefix, { blockMs: 60_000 });
    const seen = collector();
    await b.start(seen.deliver);
    a.publish(progress("t", 1));
    await seen.until(1);
    const clients = (await admin.client("LIST")) as string;
    const reader = clients.split("\n").find((line) => / cmd=xread( |$)/.test(line));
    expect(reader).toBeDefined();
    const id = /\bid=(\d+)/.exec(reader as string)?.[1] as string;
    expect(await admin.client("KILL", "ID", id)).toBe(1);
    // Published while B's reader reconnects: B reads on from the id it had.
    for (let step = 2; step <= 200; step++) {
      a.publish(progress("t", step));
      if (step % 20 === 0) await a.flush();
    }
    await seen.until(200);
    await a.flush();
    expect(currents(seen.events)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it("keeps the stream near maxLen entries however many are published", async () => {
    const prefix = `bus-${++prefixes}:`;
    const a = bus(prefix, { maxLen: 100 });
    // One entry per turn of the event loop: each flush adds one.
    for (let step = 1; step <= 1000; step++) {
      a.publish(progress("t", step));
      await a.flush();
    }
    const length = await admin.xlen(`${prefix}events`);
    // "MAXLEN ~" trims whole stream nodes (100 entries each by default), never below maxLen.
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThanOrEqual(300);
    const newest = await admin.xrevrange(`${prefix}events`, "+", "-", "COUNT", 1);
    expect(JSON.parse(newest[0]?.[1][3] as string)).toMatchObject([{ progress: { current: 1000 } }]);
  });

  it("sends what it holds on close, then stops reading and drops later events", async () => {
    const prefix = `bus-${++prefixes}:`;
    const a = new RedisTaskEvents({ url: redis.url, prefix });
    const b = bus(prefix);
    const seen = collector();
    await b.start(seen.deliver);
    await a.start(() => undefined);
    a.publish(progress("t", 1));
    await a.close();
    a.publish(progress("t", 2));
    await a.close();
    await seen.until(1);
    expect(await admin.xlen(`${prefix}events`)).toBe(1);
    expect(currents(seen.events)).toEqual([1]);
  });

  it("notices entries trimmed before it read them: reports the gap and calls lost", async () => {
    const prefix = `bus-${++prefixes}:`;
    const reported: Array<{ message: string; details: unknown }> = [];
    const logger = {
      warn: () => undefined,
      error: (message: string, details: unknown) => reported.push({ message, details }),
    };
    // Every instance of a prefix has the same maxLen (here 10): what the stream keeps, and what
    // B's gap check relies on.
    const b = bus(prefix, { logger, maxLen: 10 });
    const lost = createDeferred<void>();
    const seen = collector();
    await b.start(seen.deliver, () => lost.resolve());
    // Another instance adds 1,000 entries in one step (its XADDs trim to about 10): B's blocked read
    // is answered only afterwards, when the entries after the last one it read are gone.
    const kept = (await admin.eval(
      FLOOD,
      1,
      `${prefix}events`,
      1000,
      10,
      JSON.stringify([progress("t", 1)]),
    )) as number;
    await lost.promise;
    expect(reported).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("trimmed from the stream before this instance read them"),
        details: expect.objectContaining({ key: `${prefix}events` }),
      }),
    ]);
    // It reads on: the entries the stream kept, then new events.
    await seen.until(kept);
    const a = bus(prefix, { maxLen: 10 });
    a.publish(progress("after", 2));
    await seen.until(kept + 1);
    expect(seen.events.at(-1)).toMatchObject({ type: "progress", task: { taskId: "after" } });
    expect(kept).toBeLessThan(1000);
  });

  it("checks a full read for a gap without calling lost when nothing was trimmed", async () => {
    const prefix = `bus-${++prefixes}:`;
    const b = bus(prefix);
    let lost = 0;
    const seen = collector();
    await b.start(seen.deliver, () => lost++);
    // 200 entries at once, none trimmed: B reads them in full batches of 50, each one checked.
    await admin.eval(FLOOD, 1, `${prefix}events`, 200, 100_000, JSON.stringify([progress("t", 1)]));
    await seen.until(200);
    // B's checks (XINFO on its writer connection) were sent before this publish: answered first.
    b.publish(progress("mine", 2));
    await b.flush();
    expect(lost).toBe(0);
  });

  it("refuses bad options when constructed", () => {
    expect(() => new RedisTaskEvents({ url: "http://x" })).toThrow(/redis:\/\//);
    expect(() => new RedisTaskEvents({ url: redis.url, maxLen: 0 })).toThrow(/maxLen/);
    expect(() => new RedisTaskEvents({ url: redis.url, prefix: "" })).toThrow(/prefix/);
  });
});
