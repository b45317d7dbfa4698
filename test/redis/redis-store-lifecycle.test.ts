import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FastestMcpError } from "../../src/errors.js";
import { loadRedisDriver } from "../../src/redis/redis-driver.js";
import { RedisTaskStore } from "../../src/redis.js";
import { ROOMY, record } from "./records.js";
import { freePort, type RedisServer, startRedisServer } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

let prefixes = 0;
const nextPrefix = () => `life-${++prefixes}:`;

describe("RedisTaskStore connection", () => {
  it("fails calls with FMCP_ERR_STORE_UNREACHABLE when nothing listens at the url", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const store = new RedisTaskStore({ url });
    try {
      const error = await store.create(record("x", "o"), ROOMY).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(FastestMcpError);
      expect(error).toMatchObject({ code: "FMCP_ERR_STORE_UNREACHABLE" });
      expect((error as Error).message).toContain(url);
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
    } finally {
      await store.close();
    }
  });

  it("fails while Redis is down and works again once it is back, without a new store", async () => {
    const own = await startRedisServer();
    const store = new RedisTaskStore({ url: own.url, prefix: nextPrefix() });
    let restarted: RedisServer | undefined;
    try {
      await store.create(record("before", "owner"), ROOMY);
      await own.stop();
      await expect(store.get("before")).rejects.toMatchObject({ code: "FMCP_ERR_STORE_UNREACHABLE" });
      restarted = await startRedisServer(own.port);
      // No persistence: the restarted server is empty, but the same store writes to it again.
      expect((await store.create(record("after", "owner"), ROOMY))?.record.taskId).toBe("after");
    } finally {
      await store.close();
      await restarted?.stop();
    }
  });

  it("hides the password of the url in its messages", async () => {
    const store = new RedisTaskStore({ url: `redis://user:s3cret@127.0.0.1:${await freePort()}` });
    try {
      const error = (await store.get("x").catch((thrown: unknown) => thrown)) as Error;
      expect(error.message).toContain("redis://user:***@127.0.0.1");
      expect(error.message).not.toContain("s3cret");
    } finally {
      await store.close();
    }
  });

  it("uses a client it is given and leaves it open on close", async () => {
    const client = new Redis(redis.url);
    const store = new RedisTaskStore({ client, prefix: nextPrefix() });
    await store.create(record("given", "owner"), ROOMY);
    await store.close();
    expect(await client.ping()).toBe("PONG");
    await expect(store.get("given")).rejects.toMatchObject({ reason: "internal-error" });
    await client.quit();
  });

  it("refuses bad options when constructed", () => {
    const invalid = { code: "FMCP_ERR_OPTION_INVALID" };
    expect(() => new RedisTaskStore({})).toThrow(expect.objectContaining(invalid));
    expect(() => new RedisTaskStore({ url: "http://x" })).toThrow(expect.objectContaining(invalid));
    expect(() => new RedisTaskStore({ url: redis.url, prefix: "" })).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() => new RedisTaskStore({ url: redis.url, progressFlushMs: 5000 })).toThrow(
      expect.objectContaining(invalid),
    );
    const prefixed = new Redis(redis.url, { keyPrefix: "x:", lazyConnect: true });
    expect(() => new RedisTaskStore({ client: prefixed })).toThrow(/keyPrefix/);
    prefixed.disconnect();
  });

  it("asks for ioredis when it is not installed", () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'ioredis'"), { code: "MODULE_NOT_FOUND" });
    };
    expect(() => loadRedisDriver(missing)).toThrow(
      expect.objectContaining({
        code: "FMCP_ERR_STORE_DRIVER_MISSING",
        message: expect.stringMatching(/npm install ioredis/),
      }),
    );
  });
});

describe("RedisTaskStore lease", () => {
  /** Polls `read` until `done` accepts what it returned (another instance changes the state). */
  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it("fails the tasks of an instance that stopped renewing its lease, and only those", async () => {
    const prefix = nextPrefix();
    const client = new Redis(redis.url);
    const dying = new RedisTaskStore({ client, prefix, leaseMs: 300 });
    const survivor = new RedisTaskStore({ url: redis.url, prefix, leaseMs: 300 });
    try {
      await dying.create(record("orphan", "owner"), ROOMY);
      await dying.create(record("finished", "owner"), ROOMY);
      const patch = { status: "completed" as const, lastUpdatedAt: "2026-01-01T00:00:01.000Z" };
      await dying.complete("finished", patch, 1, ROOMY);
      await survivor.create(record("mine", "owner"), ROOMY);
      // The instance is cut off: no more heartbeats, no goodbye.
      client.disconnect();
      const failed = await eventually(
        () => survivor.get("orphan"),
        (task) => task?.status === "failed",
      );
      expect(failed).toMatchObject({
        statusMessage: "The server stopped before it finished.",
        error: { code: -32603, data: { reason: "task-interrupted" } },
      });
      expect((await survivor.get("finished"))?.status).toBe("completed");
      expect((await survivor.get("mine"))?.status).toBe("working");
      expect((await survivor.usage("owner")).unfinished).toBe(1);
    } finally {
      await Promise.all([dying.close(), survivor.close()]);
    }
  });

  it("fails the tasks it still runs when it closes", async () => {
    const prefix = nextPrefix();
    const closing = new RedisTaskStore({ url: redis.url, prefix });
    const other = new RedisTaskStore({ url: redis.url, prefix });
    try {
      await closing.create(record("left", "owner"), ROOMY);
      const start = await other.finishedSince(undefined);
      await closing.close();
      expect((await other.get("left"))?.status).toBe("failed");
      expect((await other.finishedSince(start.cursor)).taskIds).toEqual(["left"]);
    } finally {
      await Promise.all([closing.close(), other.close()]);
    }
  });
});
