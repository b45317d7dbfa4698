import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Context } from "../../src/context/context.js";
import type { LogEntry } from "../../src/context/logger.js";
import { ProgressError } from "../../src/context/progress-error.js";
import type { ProgressUpdate } from "../../src/context/progress-sink.js";
import { CancelledError, FastestMcpError, ToolError } from "../../src/errors.js";
import { FastestMCP } from "../../src/fastestmcp.js";
import { ErrorCode } from "../../src/protocol/error-codes.js";
import {
  InvalidParamsError,
  RequestTimeoutError,
  ToolNotFoundError,
} from "../../src/protocol/protocol-error.js";
import { rejection } from "../rejection.js";

function seedServer(): FastestMCP {
  return FastestMCP.server("progress").addTool(
    "track",
    (_args, ctx) => {
      const progress = ctx.progress().setTotal(3).increment().setMessage("Step 1");
      return { current: progress.current, total: progress.total, message: progress.message };
    },
    { task: true },
  );
}

describe("FastestMCP tools in-process", () => {
  it("runs the seed's track example and returns {current: 1, total: 3, message: 'Step 1'}", async () => {
    await expect(seedServer().callTool("track", {})).resolves.toEqual({
      current: 1,
      total: 3,
      message: "Step 1",
    });
  });

  it("wraps the seed's result as structuredContent plus JSON text", async () => {
    const result = await seedServer().callToolResult("track");
    expect(result).toEqual({
      content: [{ type: "text", text: JSON.stringify({ current: 1, total: 3, message: "Step 1" }) }],
      structuredContent: { current: 1, total: 3, message: "Step 1" },
    });
  });

  it("accepts handlers taking (), (args) and (args, ctx)", async () => {
    const server = FastestMCP.server("arity")
      .addTool("none", () => "no args")
      .addTool("one", (args) => `one ${String(args.x)}`)
      .addTool("two", (args, ctx) => `two ${String(args.x)} ${ctx.serverName}`);
    await expect(server.callTool("none")).resolves.toBe("no args");
    await expect(server.callTool("one", { x: 1 })).resolves.toBe("one 1");
    await expect(server.callTool("two", { x: 2 })).resolves.toBe("two 2 arity");
  });

  it("accepts sync and async handlers alike", async () => {
    const server = FastestMCP.server("modes")
      .addTool("sync", () => 1)
      .addTool("async", async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return 2;
      });
    await expect(server.callTool("sync")).resolves.toBe(1);
    await expect(server.callTool("async")).resolves.toBe(2);
    expect(await server.callToolResult("async")).toEqual({ content: [{ type: "text", text: "2" }] });
  });

  it("sends progress from both APIs to onProgress in order, final state last", async () => {
    const yieldToTimers = () => new Promise((resolve) => setTimeout(resolve, 0));
    const server = FastestMCP.server("p", { progressIntervalMs: 0 }).addTool("steps", async (_args, ctx) => {
      await ctx.reportProgress(1, 4, "fetched");
      await yieldToTimers();
      ctx.progress().increment().setMessage("parsed");
      await yieldToTimers();
      await ctx.reportProgress(3);
      await yieldToTimers();
      ctx.progress().increment();
      return "done";
    });
    const seen: ProgressUpdate[] = [];
    await server.callTool("steps", {}, { onProgress: (u) => seen.push(u) });
    expect(seen.map((u) => [u.current, u.total, u.message])).toEqual([
      [1, 4, "fetched"],
      [2, 4, "parsed"],
      [3, 4, "parsed"],
      [4, 4, "parsed"],
    ]);
  });

  it("delivers the final progress value before the call resolves, even when coalescing", async () => {
    const server = FastestMCP.server("flood", { progressIntervalMs: 1000 }).addTool("flood", (_args, ctx) => {
      const progress = ctx.progress().setTotal(100_000);
      for (let i = 0; i < 100_000; i++) progress.increment();
      return progress.current;
    });
    const seen: ProgressUpdate[] = [];
    const value = await server.callTool("flood", {}, { onProgress: (u) => seen.push(u) });
    expect(value).toBe(100_000);
    expect(seen.length).toBeLessThanOrEqual(2);
    expect(seen.at(-1)).toMatchObject({ current: 100_000, total: 100_000 });
  });

  it("rejects decreasing progress inside a handler with ProgressError -32602 where the handler calls it", async () => {
    const server = FastestMCP.server("bad").addTool("backwards", async (_args, ctx) => {
      await ctx.reportProgress(2);
      await ctx.reportProgress(1);
    });
    const seen: ProgressUpdate[] = [];
    const error = await rejection(server.callTool("backwards", {}, { onProgress: (u) => seen.push(u) }));
    expect(error).toBeInstanceOf(ProgressError);
    expect(error.code).toBe(ErrorCode.InvalidParams);
    expect(seen.map((u) => u.current)).toEqual([2]);
    // Uncaught, it is the handler's failure: the result the wire would send is isError.
    const result = await server.callToolResult("backwards");
    expect(result.isError).toBe(true);
  });

  it("gives every request its own Context with ids, server name and signal", async () => {
    const contexts: Context[] = [];
    const server = FastestMCP.server("ctx").addTool("grab", (_args, ctx) => {
      contexts.push(ctx);
    });
    await server.callTool("grab");
    await server.callTool("grab");
    const [a, b] = contexts;
    expect(a?.requestId).not.toEqual(b?.requestId);
    expect(a?.serverName).toBe("ctx");
    expect(a?.sessionId).toBeUndefined();
    expect(a?.signal).toBeInstanceOf(AbortSignal);
    expect(a?.progress()).toBe(a?.progress());
    expect(a?.progress()).not.toBe(b?.progress());
  });

  it("routes ctx.log entries to onLog at or above logLevel", async () => {
    const server = FastestMCP.server("logs").addTool("talk", (_args, ctx) => {
      ctx.log.debug("noise");
      ctx.log.info("fetched", { rows: 10 });
      ctx.log.warning("slow");
      ctx.log.emergency("on fire");
    });
    const all: LogEntry[] = [];
    await server.callTool("talk", {}, { onLog: (e) => all.push(e) });
    expect(all.map((e) => e.level)).toEqual(["debug", "info", "warning", "emergency"]);
    expect(all[1]).toMatchObject({ level: "info", message: "fetched", data: { rows: 10 }, logger: "logs" });
    const filtered: LogEntry[] = [];
    await server.callTool("talk", {}, { onLog: (e) => filtered.push(e), logLevel: "warning" });
    expect(filtered.map((e) => e.message)).toEqual(["slow", "on fire"]);
  });
});

describe("FastestMCP input validation", () => {
  const jsonServer = () =>
    FastestMCP.server("json").addTool("add", ({ a, b }) => (a as number) + (b as number), {
      inputSchema: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
        required: ["a", "b"],
      },
    });

  it("passes valid arguments to a JSON Schema tool", async () => {
    await expect(jsonServer().callTool("add", { a: 2, b: 3 })).resolves.toBe(5);
  });

  it("rejects invalid JSON Schema arguments naming the tool and the field", async () => {
    const error = await rejection(jsonServer().callTool("add", { a: "two" }));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.code).toBe(-32602);
    expect(error.reason).toBe("invalid-tool-arguments");
    expect(error.message).toContain('tool "add"');
    expect(error.message).toContain("a: must be number");
    expect(error.message).toContain("b: is required");
  });

  it("returns invalid arguments as an isError result from callToolResult (SEP-1303)", async () => {
    const result = await jsonServer().callToolResult("add", { a: 1 });
    expect(result.isError).toBe(true);
    expect(result.content[0]).toMatchObject({ type: "text" });
    expect((result.content[0] as { text: string }).text).toContain("b: is required");
  });

  it("types and validates zod input schemas", async () => {
    const server = FastestMCP.server("zod").addTool(
      "greet",
      ({ name, times }) => Array.from({ length: times }, () => `hi ${name.toUpperCase()}`).join(" "),
      { inputSchema: z.object({ name: z.string(), times: z.number().int().default(1) }) },
    );
    await expect(server.callTool("greet", { name: "ada" })).resolves.toBe("hi ADA");
    await expect(server.callTool("greet", { name: "ada", times: 2 })).resolves.toBe("hi ADA hi ADA");
    const error = await rejection(server.callTool("greet", { name: 7 }));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.message).toMatch(/tool "greet": name: /);
    expect(error.data.issues[0].path).toEqual(["name"]);
  });

  it("rejects arguments that are not an object", async () => {
    const error = await rejection(jsonServer().callTool("add", [1, 2] as unknown as Record<string, unknown>));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.message).toContain("arguments must be an object");
  });
});

describe("FastestMCP errors", () => {
  it("rejects an unknown tool with -32602 naming it", async () => {
    const server = seedServer();
    for (const call of [server.callTool("nope"), server.callToolResult("nope")]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(ToolNotFoundError);
      expect(error.code).toBe(-32602);
      expect(error.reason).toBe("tool-not-found");
      expect(error.message).toContain('"nope"');
    }
  });

  it("turns a plain Error thrown by a handler into an isError result", async () => {
    const server = FastestMCP.server("t").addTool("boom", () => {
      throw new Error("disk full");
    });
    expect(await server.callToolResult("boom")).toEqual({
      content: [{ type: "text", text: "disk full" }],
      isError: true,
    });
    await expect(server.callTool("boom")).rejects.toThrow("disk full");
  });

  it("masks unexpected error details when maskErrorDetails is set, but never a ToolError", async () => {
    const server = FastestMCP.server("t", { maskErrorDetails: true })
      .addTool("boom", async () => {
        throw new Error("password=hunter2");
      })
      .addTool("user", () => {
        throw new ToolError("City not found", { city: "Atlantis" });
      });
    const masked = await server.callToolResult("boom");
    expect(masked.isError).toBe(true);
    expect(JSON.stringify(masked)).not.toContain("hunter2");
    expect(await server.callToolResult("user")).toEqual({
      content: [{ type: "text", text: "City not found" }],
      structuredContent: { city: "Atlantis" },
      isError: true,
    });
  });

  it("keeps the code of a framework error thrown by a handler", async () => {
    const server = FastestMCP.server("t").addTool("strict", () => {
      throw new InvalidParamsError("bad mood", "invalid-params", { mood: "grumpy" });
    });
    const error = await rejection(server.callToolResult("strict"));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.code).toBe(-32602);
    expect(error.reason).toBe("invalid-params");
    expect(error.data).toEqual({ mood: "grumpy" });
  });

  it("aborts ctx.signal and rejects with a timeout error when the tool's timeout expires", async () => {
    let signal: AbortSignal | undefined;
    const server = FastestMCP.server("t").addTool(
      "slow",
      (_args, ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      },
      { timeout: 20 },
    );
    const error = await rejection(server.callToolResult("slow"));
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error.code).toBe(ErrorCode.RequestTimeout);
    expect(error.message).toContain('"slow" timed out after 20 ms');
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(error);
  });

  it("applies the shorter of the call's and the tool's timeout", async () => {
    const server = FastestMCP.server("t").addTool("slow", () => new Promise(() => {}), { timeout: 10_000 });
    const error = await rejection(server.callTool("slow", {}, { timeout: 15 }));
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error.timeoutMs).toBe(15);
  });

  it("cancels through the caller's signal: ctx.signal aborts and the call rejects with CancelledError", async () => {
    let signal: AbortSignal | undefined;
    const server = FastestMCP.server("t").addTool("wait", (_args, ctx) => {
      signal = ctx.signal;
      return new Promise(() => {});
    });
    const controller = new AbortController();
    const call = server.callTool("wait", {}, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error("user gave up"));
    const error = await rejection(call);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error.code).toBe("FMCP_ERR_CANCELLED");
    expect(signal?.aborted).toBe(true);
    await expect(server.callTool("wait", {}, { signal: controller.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
  });

  it("rejects progress reported after the call finished", async () => {
    let late: Context | undefined;
    const server = FastestMCP.server("t").addTool("quick", (_args, ctx) => {
      late = ctx;
    });
    await server.callTool("quick");
    await expect(late?.reportProgress(1)).rejects.toMatchObject({ reason: "progress-after-completion" });
  });

  it("rejects a bad server name or progress interval with FMCP_ERR_OPTION_INVALID", () => {
    expect(() => FastestMCP.server("")).toThrow(FastestMcpError);
    expect(() => FastestMCP.server("x", { progressIntervalMs: -1 })).toThrow(/progressIntervalMs/);
  });
});
