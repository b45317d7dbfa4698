import { describe, expect, it } from "vitest";
import { ProgressError } from "../../../src/context/progress-error.js";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { rejection } from "../../rejection.js";
import { openSession } from "../session/session-harness.js";

// A handler that reports invalid progress and does not catch the ProgressError has a bug of its
// own: the call fails like any other handler failure, never as the client's -32602.

function server(options: { maskErrorDetails?: boolean } = {}) {
  return FastestMCP.server("misuse", options)
    .addTool(
      "backwards",
      async (_args, ctx) => {
        await ctx.reportProgress(2);
        await ctx.reportProgress(1);
      },
      { task: true },
    )
    .addTool("overTotal", (_args, ctx) => {
      ctx.progress().setTotal(1).increment(2);
    })
    .addTool("catches", async (_args, ctx) => {
      await ctx.reportProgress(2);
      const error = await rejection(ctx.reportProgress(1));
      return { caught: error instanceof ProgressError, reason: error.reason };
    });
}

describe("a handler's uncaught ProgressError", () => {
  it("reaches the handler where it calls the progress API, so it can catch it", async () => {
    expect(await server().callTool("catches")).toEqual({ caught: true, reason: "progress-not-increasing" });
  });

  it("answers tools/call with an isError result naming the rule, not JSON-RPC -32602", async () => {
    const { init, request } = openSession(server());
    await init();
    for (const name of ["backwards", "overTotal"]) {
      const response = await request("tools/call", { name, arguments: {} });
      expect(response.error).toBeUndefined();
      expect(response.result?.isError).toBe(true);
      const [block] = (response.result?.content ?? []) as Array<{ type: string; text: string }>;
      expect(block?.text).toMatch(/progress|total/i);
    }
  });

  it("is masked like any handler failure under maskErrorDetails", async () => {
    const { init, request } = openSession(server({ maskErrorDetails: true }));
    await init();
    const response = await request("tools/call", { name: "backwards", arguments: {} });
    expect(response.result).toEqual({
      content: [{ type: "text", text: 'Tool "backwards" failed with an internal error.' }],
      isError: true,
    });
  });

  it("fails a background task with the error's message as statusMessage", async () => {
    const s = server();
    const task = await s.callTool("backwards", {}, { task: true });
    const error = await rejection(s.awaitTask(task, 5000));
    expect(error).toBeInstanceOf(ProgressError);
    const info = await s.fetchTask(task);
    expect(info.status).toBe("failed");
    expect(info.statusMessage).toContain("Progress must increase");
    const result = await s.taskResult(task);
    expect(result.isError).toBe(true);
  });

  it("fails a task started over the wire, and tasks/result answers the isError result", async () => {
    const { init, request } = openSession(server());
    await init();
    const created = await request("tools/call", { name: "backwards", arguments: {}, task: {} });
    const taskId = (created.result?.task as { taskId?: string } | undefined)?.taskId;
    expect(taskId).toBeTypeOf("string");
    const result = await request("tasks/result", { taskId });
    expect(result.error).toBeUndefined();
    expect(result.result?.isError).toBe(true);
    const got = await request("tasks/get", { taskId });
    expect(got.result).toMatchObject({ status: "failed" });
    expect(got.result?.statusMessage).toContain("Progress must increase");
  });
});
