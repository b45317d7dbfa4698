import { afterEach, describe, expect, it } from "vitest";
import { ToolError } from "../../../src/errors.js";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { isProtocolError } from "../../../src/protocol/protocol-error.js";
import { openSession } from "./session-harness.js";

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function toolServer(): FastestMCP {
  const server = FastestMCP.server("parity", { progressIntervalMs: 0 })
    .addTool("text", () => "plain")
    .addTool("object", () => ({ a: 1 }))
    .addTool("number", async () => 42)
    .addTool("user-error", () => {
      throw new ToolError("City not found", { city: "Atlantis" });
    })
    .addTool("crash", async () => {
      throw new Error("disk full");
    })
    .addTool("typed", ({ n }) => Number(n) * 2, {
      inputSchema: { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
    })
    .addTool("only-task", () => "ok", { task: { mode: "required" } })
    .addTool("never-task", () => "ok");
  servers.push(server);
  return server;
}

/** What the in-process call settles with, in the wire's terms: `{ result }` or `{ error }` (JSON-RPC). */
async function inProcess(run: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    return { result: await run };
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    return { error: error.toJSON() };
  }
}

describe("the in-process session", () => {
  it("answers callToolResult exactly as tools/call answers over a wire session", async () => {
    const server = toolServer();
    const { init, request } = openSession(server);
    await init();
    const calls: Array<[string, unknown]> = [
      ["text", {}],
      ["object", {}],
      ["number", undefined],
      ["user-error", {}],
      ["crash", {}],
      ["typed", { n: 2 }],
      ["typed", { n: "two" }],
      ["typed", [1, 2]],
      ["missing", {}],
      ["only-task", {}],
    ];
    for (const [name, args] of calls) {
      const wire = await request("tools/call", { name, ...(args === undefined ? {} : { arguments: args }) });
      const local = await inProcess(server.callToolResult(name, args as Record<string, unknown>));
      expect(local, `${name} ${JSON.stringify(args)}`).toEqual(
        wire.error === undefined ? { result: wire.result } : { error: wire.error },
      );
    }
  });

  it("enforces a tool's task mode with the same error in-process and over the wire", async () => {
    const server = toolServer();
    const { init, request } = openSession(server);
    await init();
    const required = await inProcess(server.callTool("only-task"));
    expect(required).toEqual({ error: (await request("tools/call", { name: "only-task" })).error });
    const forbidden = await inProcess(server.callTool("never-task", {}, { task: true }));
    expect(forbidden).toEqual({
      error: (await request("tools/call", { name: "never-task", task: {} })).error,
    });
    expect(forbidden.error).toMatchObject({ code: -32601, data: { reason: "task-not-supported" } });
  });

  it("rejects callTool with the handler's own error and resolves with its own value", async () => {
    const server = toolServer();
    await expect(server.callTool("object")).resolves.toEqual({ a: 1 });
    await expect(server.callTool("number")).resolves.toBe(42);
    const error = await server.callTool("user-error").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ToolError);
    await expect(server.callTool("crash")).rejects.toThrow("disk full");
  });

  it("keeps in-process tasks apart from a wire session's, each seen through the same tasks/* handlers", async () => {
    const server = toolServer().addTool("later", () => "done", { task: true });
    const { init, request, session } = openSession(server);
    await init();
    const created = await request("tools/call", { name: "later", task: {} });
    const taskId = String((created.result?.task as { taskId?: string } | undefined)?.taskId);
    await expect(server.fetchTask(taskId)).rejects.toMatchObject({ code: -32602, reason: "task-not-found" });
    await expect(server.awaitTask(taskId, undefined, { owner: session.owner })).resolves.toMatchObject({
      content: [{ type: "text", text: "done" }],
    });
    const local = await server.callTool("later", {}, { task: true });
    expect((await request("tasks/get", { taskId: local.taskId })).error).toMatchObject({ code: -32602 });
    await expect(server.awaitTask(local)).resolves.toBe("done");
    expect((await server.listTasks()).tasks.map((t) => t.taskId)).toEqual([local.taskId]);
  });
});
