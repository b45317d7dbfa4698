import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/cli/args.js";
import { UsageError } from "../../src/cli/exit-codes.js";
import { FastestMCP } from "../../src/index.js";
import { redisBackend } from "../../src/redis.js";
import { type RedisServer, startRedisServer } from "../redis/redis-server.js";
import { startCli } from "./cli-harness.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

describe("fastestmcp worker", () => {
  it("parses the module and --concurrency", () => {
    expect(parseCommand(["worker", "s.js", "--concurrency", "4"])).toEqual({
      name: "worker",
      file: "s.js",
      concurrency: 4,
    });
    expect(parseCommand(["worker", "s.js"])).toEqual({
      name: "worker",
      file: "s.js",
      concurrency: undefined,
    });
    expect(() => parseCommand(["worker"])).toThrow(UsageError);
    expect(() => parseCommand(["worker", "s.js", "--concurrency", "0"])).toThrow(UsageError);
    expect(() => parseCommand(["worker", "s.js", "--port", "1"])).toThrow(UsageError);
  });

  it("runs the jobs of the module's queue until Ctrl-C, then closes and exits 130", async () => {
    const prefix = "cli-worker:";
    process.env.FMCP_TEST_REDIS_URL = redis.url;
    process.env.FMCP_TEST_QUEUE_PREFIX = prefix;
    const cli = startCli(["worker", "test/cli/fixtures/queue-server.ts", "--concurrency", "2"]);
    await cli.stderr.waitFor(/taking jobs/);
    const accepting = FastestMCP.server("accepting", {
      backend: redisBackend({ url: redis.url, prefix, queue: { work: false } }),
    }).addTool("where", () => ({ ranOn: "accepting" }), { task: true });
    try {
      const task = await accepting.callTool("where", {}, { task: true });
      expect(await accepting.awaitTask(task, 10_000)).toEqual({ ranOn: "cli-worker" });
    } finally {
      await accepting.close();
    }
    cli.interrupt();
    expect(await cli.done).toBe(130);
    expect(cli.stderr.text).toContain("Stopping");
  });
});
