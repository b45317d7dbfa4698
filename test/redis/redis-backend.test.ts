import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FastestMCP, MemoryTaskStore } from "../../src/index.js";
import { RedisTaskStore, redisBackend } from "../../src/redis.js";
import { freePort, type RedisServer, startRedisServer } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

const OWNER = { owner: "backend-owner" };

describe("redisBackend as the server's backend option", () => {
  it("keeps the server's tasks in Redis, with the store's progress flush as the default", async () => {
    const backend = redisBackend({ url: redis.url, prefix: "backend-1:" });
    const server = FastestMCP.server("redis-backed", { backend }).addTool(
      "double",
      async ({ n }, ctx) => {
        ctx.progress().setTotal(1).increment().setMessage("doubled");
        return { n: Number(n) * 2 };
      },
      { task: true },
    );
    try {
      expect(backend.taskStore).toBeInstanceOf(RedisTaskStore);
      expect(backend.taskStore.progressFlushMs).toBe(100);
      const task = await server.callTool("double", { n: 21 }, { task: true, ...OWNER });
      expect(await server.awaitTask(task, 5000, OWNER)).toEqual({ n: 42 });
      // What another instance would read: the record in Redis, under the backend's prefix.
      const stored = await backend.taskStore.get(task.taskId);
      expect(stored).toMatchObject({
        status: "completed",
        owner: OWNER.owner,
        progress: { current: 1, total: 1, message: "doubled" },
        result: { structuredContent: { n: 42 } },
      });
      expect((await server.listTasks(OWNER)).tasks.map((t) => t.taskId)).toEqual([task.taskId]);
    } finally {
      await server.close();
    }
    // The server owned the backend: its connection is closed now.
    await expect(backend.taskStore.get("any")).rejects.toMatchObject({ reason: "internal-error" });
  });

  it("refuses a backend together with tasks.store at construction", () => {
    const backend = redisBackend({ url: redis.url, prefix: "backend-2:" });
    try {
      expect(() => FastestMCP.server("both", { backend, tasks: { store: new MemoryTaskStore() } })).toThrow(
        expect.objectContaining({
          code: "FMCP_ERR_OPTION_INVALID",
          message: expect.stringMatching(/not both/),
        }),
      );
    } finally {
      void backend.close();
    }
  });

  it("refuses a backend that is not one", () => {
    expect(() => FastestMCP.server("odd", { backend: {} as never })).toThrow(
      expect.objectContaining({
        code: "FMCP_ERR_OPTION_INVALID",
        message: expect.stringMatching(/redisBackend/),
      }),
    );
  });

  it("shares tasks between two servers on the same url and prefix, and no others", async () => {
    const a = FastestMCP.server("a", { backend: redisBackend({ url: redis.url, prefix: "backend-3:" }) });
    const b = FastestMCP.server("b", { backend: redisBackend({ url: redis.url, prefix: "backend-3:" }) });
    const other = FastestMCP.server("c", { backend: redisBackend({ url: redis.url, prefix: "backend-4:" }) });
    a.addTool("hello", () => "hello", { task: true });
    try {
      const task = await a.callTool("hello", {}, { task: true, ...OWNER });
      await a.awaitTask(task, 5000, OWNER);
      expect(await b.fetchTask(task, OWNER)).toMatchObject({ status: "completed", toolName: "hello" });
      expect(await b.taskResult(task, OWNER)).toMatchObject({ content: [{ type: "text", text: "hello" }] });
      await expect(other.fetchTask(task, OWNER)).rejects.toMatchObject({ reason: "task-not-found" });
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });
});

describe("a server whose Redis is down", () => {
  it("refuses task calls with FMCP_ERR_STORE_UNREACHABLE, and runs them once Redis is up", async () => {
    const port = await freePort();
    const server = FastestMCP.server("waiting", {
      backend: redisBackend({ url: `redis://127.0.0.1:${port}`, prefix: "down:" }),
    }).addTool("hello", () => "hello", { task: true });
    let late: RedisServer | undefined;
    try {
      await expect(server.callTool("hello", {}, { task: true, ...OWNER })).rejects.toMatchObject({
        code: "FMCP_ERR_STORE_UNREACHABLE",
      });
      late = await startRedisServer(port);
      const task = await server.callTool("hello", {}, { task: true, ...OWNER });
      expect(await server.taskResult(task, OWNER)).toMatchObject({
        content: [{ type: "text", text: "hello" }],
      });
    } finally {
      await server.close();
      await late?.stop();
    }
  });
});
