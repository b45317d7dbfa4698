import { describe, expect, it } from "vitest";
import { Context, LazyContextInit } from "../../src/context/context.js";
import { ProgressError } from "../../src/context/progress-error.js";
import type { ProgressUpdate } from "../../src/context/progress-sink.js";

function context() {
  const delivered: ProgressUpdate[] = [];
  const init = new LazyContextInit(
    {
      requestId: 1,
      serverName: "s",
      progressIntervalMs: 0,
      progressSink: { onProgress: (update) => delivered.push(update) },
    },
    undefined,
  );
  return { ctx: new Context(init), delivered };
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
