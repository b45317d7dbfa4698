/**
 * A tool's `task.prepare`: input gathered in the call before its task exists. On 2026-07-28 its
 * asks are input_required rounds of the tools/call, and the round that answers them gets the task
 * handle (SEP-2663 with SEP-2322: MRTR, then a task); in-process it asks the caller's handlers.
 */
import { describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { post, TASKS, tasksServer, terminalGet } from "../tasks/task-extension-harness.js";

const ASKING = { elicitation: {}, extensions: { [TASKS]: {} } };
const NAME = {
  type: "object" as const,
  properties: { name: { type: "string" as const } },
  required: ["name"],
};

function withPreparedTool(server: FastestMCP, prepared: string[] = []) {
  return server.addTool("greet_later", ({ user_name }) => `Hello, ${String(user_name)}!`, {
    inputSchema: { type: "object", properties: { user_name: { type: "string" } } },
    task: {
      mode: "required",
      prepare: async (args, ctx) => {
        const answer = await ctx.elicit<{ name: string }>("Your name?", NAME);
        prepared.push(String(answer.content?.name));
        return { ...args, user_name: answer.content?.name };
      },
    },
  });
}

describe("task.prepare", () => {
  it("asks in input_required rounds on 2026-07-28, then answers the round with the answers with a task handle whose result uses them", async () => {
    const prepared: string[] = [];
    const server = withPreparedTool(tasksServer().server, prepared);
    const call = { name: "greet_later", arguments: {} };
    const first = (await post(server, "tools/call", call, { capabilities: ASKING })).body.result;
    expect(first.resultType).toBe("input_required");
    expect(first).not.toHaveProperty("taskId");
    const [key] = Object.keys(first.inputRequests) as [string];
    expect(first.inputRequests[key]).toMatchObject({
      method: "elicitation/create",
      params: { message: "Your name?" },
    });
    const retry = {
      ...call,
      inputResponses: { [key]: { action: "accept", content: { name: "Alice" } } },
      requestState: first.requestState,
    };
    const second = (await post(server, "tools/call", retry, { capabilities: ASKING })).body.result;
    expect(second).toMatchObject({ resultType: "task", status: "working" });
    expect(second).not.toHaveProperty("requestState");
    expect(second).not.toHaveProperty("inputRequests");
    const done = (await terminalGet(server, second.taskId)).body.result;
    expect(done).toMatchObject({ status: "completed", result: { content: [{ text: "Hello, Alice!" }] } });
    expect(prepared).toEqual(["Alice"]);
  });

  it("asks the in-process caller's handlers before the task starts", async () => {
    const server = withPreparedTool(FastestMCP.server("prepare-local"));
    try {
      const task = await server.callTool(
        "greet_later",
        {},
        { task: true, elicitationHandler: () => ({ action: "accept", content: { name: "Bo" } }) },
      );
      await expect(server.awaitTask(task, 5000)).resolves.toBe("Hello, Bo!");
    } finally {
      await server.close();
    }
  });

  it("refuses a prepare that is not a function at addTool", () => {
    const server = FastestMCP.server("prepare-bad");
    expect(() => server.addTool("bad", () => "x", { task: { prepare: "soon" as never } })).toThrowError(
      expect.objectContaining({ code: "FMCP_ERR_OPTION_INVALID" }),
    );
  });
});
