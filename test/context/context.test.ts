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

describe("Context requests to the client", () => {
  /** A Context whose client records each request and answers with `answer`. */
  function asking(answer: Record<string, unknown>, capabilities: Record<string, unknown> = {}) {
    const sent: { method: string; params: Record<string, unknown>; inputKey: string | undefined }[] = [];
    const ctx = new Context({
      requestId: 1,
      serverName: "s",
      signal: new AbortController().signal,
      log: new Logger(undefined, "s"),
      tracker: new ProgressTracker({ sink: { onProgress: () => undefined }, intervalMs: 0 }),
      client: {
        capabilities,
        async request(method, params, _signal, inputKey) {
          sent.push({ method, params, inputKey });
          return answer;
        },
      },
    });
    return { ctx, sent };
  }

  it("lists the client's roots with roots/list", async () => {
    const { ctx, sent } = asking({ roots: [{ uri: "file:///a", name: "A" }] }, { roots: {} });
    await expect(ctx.listRoots({ inputKey: "r" })).resolves.toEqual([{ uri: "file:///a", name: "A" }]);
    expect(sent).toEqual([{ method: "roots/list", params: {}, inputKey: "r" }]);
  });

  it("refuses a roots answer without roots, and a client without the roots capability", async () => {
    await expect(asking({ roots: "x" }, { roots: {} }).ctx.listRoots()).rejects.toMatchObject({
      code: "FMCP_ERR_CLIENT_RESPONSE_INVALID",
    });
    await expect(asking({ roots: [] }).ctx.listRoots()).rejects.toMatchObject({
      code: "FMCP_ERR_CLIENT_CAPABILITY_MISSING",
    });
  });

  it("passes an input key beside the request, never inside its params", async () => {
    const sampled = asking(
      { model: "m", role: "assistant", content: { type: "text", text: "hi" } },
      {
        sampling: {},
      },
    );
    await sampled.ctx.sample("hello", { maxTokens: 5, inputKey: "s1" });
    expect(sampled.sent[0]?.params).not.toHaveProperty("inputKey");
    expect(sampled.sent[0]?.inputKey).toBe("s1");
    const elicited = asking({ action: "decline" }, { elicitation: {} });
    await elicited.ctx.elicit("Name?", { type: "object", properties: {} }, { inputKey: "e1" });
    expect(elicited.sent[0]).toMatchObject({ method: "elicitation/create", inputKey: "e1" });
  });

  it("shows the client's capabilities, and none without a client", () => {
    expect(asking({}, { sampling: {} }).ctx.clientCapabilities).toEqual({ sampling: {} });
    expect(context().ctx.clientCapabilities).toEqual({});
  });
});
