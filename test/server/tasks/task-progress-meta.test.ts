import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { openSession } from "../session/session-harness.js";

// MCP Tasks (2025-11-25) carry only statusMessage; this server adds the stored numeric progress
// under the vendor _meta key dev.fastestmcp/progress, as it does on the 2026-07-28 tasks extension.

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("tasks/get on 2025-11-25", () => {
  it("carries the task's stored progress under _meta dev.fastestmcp/progress, and none before any", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reported: () => void = () => undefined;
    const stored = new Promise<void>((resolve) => {
      reported = resolve;
    });
    const server = FastestMCP.server("meta", { progressIntervalMs: 0 })
      .addTool(
        "quiet",
        async () => {
          await gate;
          return "ok";
        },
        { task: true },
      )
      .addTool(
        "steps",
        async (_args, ctx) => {
          ctx.progress().setTotal(4).increment(3).setMessage("three of four");
          await gate;
          return "ok";
        },
        { task: true },
      );
    servers.push(server);
    server.onTaskEvent((event) => {
      if (event.type === "progress" && event.progress.current === 3 && event.progress.message !== undefined) {
        reported();
      }
    });
    const { init, request } = openSession(server);
    await init();
    const quiet = await request("tools/call", { name: "quiet", task: {} });
    const steps = await request("tools/call", { name: "steps", task: {} });
    await stored;
    const taskIdOf = (response: typeof quiet) =>
      (response.result?.task as { taskId: string } | undefined)?.taskId;

    const none = await request("tasks/get", { taskId: taskIdOf(quiet) });
    expect(none.result?.status).toBe("working");
    expect(none.result?._meta).toBeUndefined();

    const some = await request("tasks/get", { taskId: taskIdOf(steps) });
    expect(some.result).toMatchObject({
      status: "working",
      _meta: {
        "dev.fastestmcp/progress": {
          current: 3,
          total: 4,
          message: "three of four",
          reportedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      },
    });
    release();
  });
});
