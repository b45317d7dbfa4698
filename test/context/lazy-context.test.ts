import { describe, expect, it } from "vitest";
import { Context, LazyAbortController, LazyContextInit } from "../../src/context/context.js";
import type { ProgressUpdate } from "../../src/context/progress-sink.js";
import { FastestMCP } from "../../src/fastestmcp.js";
import { openSession, tick } from "../server/session-harness.js";

describe("LazyAbortController", () => {
  it("answers aborted/reason without a signal, and builds an aborted one after abort", () => {
    const lazy = new LazyAbortController();
    expect(lazy.aborted).toBe(false);
    expect(lazy.reason).toBeUndefined();
    const reason = new Error("stop");
    lazy.abort(reason);
    expect(lazy.aborted).toBe(true);
    expect(lazy.reason).toBe(reason);
    expect(lazy.signal.aborted).toBe(true);
    expect(lazy.signal.reason).toBe(reason);
  });

  it("aborts a signal handed out before, firing its listeners once", () => {
    const lazy = new LazyAbortController();
    const signal = lazy.signal;
    expect(lazy.signal).toBe(signal);
    let fired = 0;
    signal.addEventListener("abort", () => fired++);
    lazy.abort("first");
    lazy.abort("second");
    expect(fired).toBe(1);
    expect(signal.reason).toBe("first");
  });
});

describe("LazyContextInit", () => {
  it("builds the logger and tracker once, on first use", () => {
    const init = new LazyContextInit({ requestId: 1, serverName: "s" }, undefined);
    const ctx = new Context(init);
    expect(ctx.log).toBe(ctx.log);
    expect(ctx.progress()).toBe(ctx.progress());
    expect(init.tracker).toBe(init.tracker);
    expect(ctx.signal).toBe(ctx.signal);
    expect(ctx.signal.aborted).toBe(false);
  });

  it("follows the given cancellation", () => {
    const cancel = new LazyAbortController();
    const ctx = new Context(new LazyContextInit({ requestId: 1, serverName: "s" }, cancel));
    cancel.abort("why");
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx.signal.reason).toBe("why");
  });

  it("delivers the final progress on close, and a tracker first used after close takes no updates", async () => {
    const updates: ProgressUpdate[] = [];
    const source = {
      requestId: 1,
      serverName: "s",
      progressSink: { onProgress: (u: ProgressUpdate) => updates.push(u) },
      progressIntervalMs: 1000,
    };
    const used = new LazyContextInit(source, undefined);
    await new Context(used).reportProgress(1);
    used.close();
    expect(updates.map((u) => u.current)).toEqual([1]);

    const unused = new LazyContextInit(source, undefined);
    const late = new Context(unused);
    unused.close();
    await expect(late.reportProgress(1)).rejects.toMatchObject({ reason: "progress-after-completion" });
    expect(() => late.progress().increment()).toThrow(/after the request completed/);
  });
});

describe("tools/call over a session", () => {
  it("gives ctx.signal, ctx.log and progress to a wire tool, and answers plain sync tools", async () => {
    let signal: AbortSignal | undefined;
    const server = FastestMCP.server("lazy", { progressIntervalMs: 0 })
      .addTool("echo", ({ text }) => String(text))
      .addTool("chatty", async (_args, ctx) => {
        signal = ctx.signal;
        ctx.log.info("hi");
        await ctx.reportProgress(1, 2);
        return "done";
      });
    const { request, init, notifications } = openSession(server);
    await init();
    const echo = await request("tools/call", { name: "echo", arguments: { text: "x" } });
    expect(echo.result).toEqual({ content: [{ type: "text", text: "x" }] });
    const chatty = await request("tools/call", {
      name: "chatty",
      arguments: {},
      _meta: { progressToken: "p" },
    });
    await tick();
    expect(chatty.result).toEqual({ content: [{ type: "text", text: "done" }] });
    expect(signal?.aborted).toBe(false);
    expect(notifications("notifications/message")).toHaveLength(1);
    expect(notifications("notifications/progress").map((s) => s.message.params)).toEqual([
      { progressToken: "p", progress: 1, total: 2 },
    ]);
    await server.close();
  });

  it("aborts ctx.signal when the session ends during a call that never read it before", async () => {
    let release: (() => void) | undefined;
    let ctxSignal: AbortSignal | undefined;
    const server = FastestMCP.server("lazy").addTool("wait", (_args, ctx) => {
      return new Promise<string>((resolve) => {
        release = () => {
          ctxSignal = ctx.signal;
          resolve("late");
        };
      });
    });
    const { session, request, init } = openSession(server);
    await init();
    const pending = request("tools/call", { name: "wait", arguments: {} });
    await tick();
    session.close();
    release?.();
    expect(await pending).toBeUndefined();
    expect(ctxSignal?.aborted).toBe(true);
    await server.close();
  });
});
