import { describe, expect, it } from "vitest";
import { Context } from "../../src/context/context.js";
import { Logger } from "../../src/context/logger.js";
import { ProgressError } from "../../src/context/progress-error.js";
import type { ProgressUpdate } from "../../src/context/progress-sink.js";
import { ProgressTracker } from "../../src/context/progress-tracker.js";

/** A Context built by hand, as docs/context.md shows for unit-testing a handler. */
function context() {
  const delivered: ProgressUpdate[] = [];
  const tracker = new ProgressTracker({
    sink: { onProgress: (update) => delivered.push(update) },
    intervalMs: 0,
  });
  const ctx = new Context({
    requestId: 1,
    serverName: "s",
    signal: new AbortController().signal,
    log: new Logger(undefined, "s"),
    tracker,
  });
  return { ctx, delivered };
}

describe("Context.reportProgress", () => {
  it("returns a promise that resolves to undefined once the state has changed", async () => {
    const { ctx, delivered } = context();
    const result = ctx.reportProgress(1, 3, "one");
    expect(result).toBeInstanceOf(Promise);
    // The work is done before the promise is even awaited.
    expect(ctx.progress().current).toBe(1);
    await expect(result).resolves.toBeUndefined();
    await expect(ctx.reportProgress(2)).resolves.toBeUndefined();
    expect(delivered.map((u) => [u.current, u.total, u.message])).toEqual([
      [1, 3, "one"],
      [2, 3, "one"],
    ]);
  });

  it("rejects (never throws) with the ProgressError, and changes nothing", async () => {
    const { ctx } = context();
    await ctx.reportProgress(2, 5);
    let returned: Promise<void> | undefined;
    expect(() => {
      returned = ctx.reportProgress(1);
    }).not.toThrow();
    const error = await returned?.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ProgressError);
    expect(error).toMatchObject({ code: -32602, reason: "progress-not-increasing" });
    await expect(ctx.reportProgress(Number.NaN)).rejects.toMatchObject({ reason: "progress-invalid-number" });
    expect([ctx.progress().current, ctx.progress().total]).toEqual([2, 5]);
  });

  it("gives a separate update per awaited call with progressIntervalMs 0", async () => {
    const { ctx, delivered } = context();
    for (let step = 1; step <= 3; step++) await ctx.reportProgress(step);
    await null;
    expect(delivered.map((u) => u.current)).toEqual([1, 2, 3]);
  });
});
