import { describe, expect, it } from "vitest";
import { loadBullMq } from "../../src/redis/bullmq-driver.js";
import { QUEUE_DEFAULTS, queueOptions } from "../../src/redis/redis-queue-options.js";

describe("job queue options", () => {
  it("finds a killed worker's job within 30 s by default (the lock, then up to two stalled checks)", () => {
    const { lockDurationMs, stalledIntervalMs } = queueOptions(true);
    expect(lockDurationMs + 2 * stalledIntervalMs).toBeLessThanOrEqual(30_000);
    expect(queueOptions({})).toMatchObject(QUEUE_DEFAULTS);
  });

  it.each([
    [{ concurrency: 0 }, "concurrency"],
    [{ attempts: 1.5 }, "attempts"],
    [{ lockDurationMs: 10 }, "lockDurationMs"],
    [{ stalledIntervalMs: -1 }, "stalledIntervalMs"],
    [{ closeTimeoutMs: Number.NaN }, "closeTimeoutMs"],
    [{ name: "a:b" }, "name"],
  ])("refuses %o, naming the option", (options, name) => {
    expect(() => queueOptions(options)).toThrow(expect.objectContaining({ code: "FMCP_ERR_OPTION_INVALID" }));
    expect(() => queueOptions(options)).toThrow(name);
  });

  it("says to install bullmq when it is missing", () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'bullmq'"), { code: "MODULE_NOT_FOUND" });
    };
    expect(() => loadBullMq(missing)).toThrow(
      expect.objectContaining({
        code: "FMCP_ERR_STORE_DRIVER_MISSING",
        message: expect.stringContaining("npm install bullmq"),
      }),
    );
  });
});
