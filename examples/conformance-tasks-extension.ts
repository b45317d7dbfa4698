/**
 * The conformance server's fixtures for the MCP 2026-07-28 tasks extension
 * (`io.modelcontextprotocol/tasks`, SEP-2663): the suite's `tasks-*` scenarios. A request that
 * declares the extension gets a task handle for every task-supporting tool; the same tools run as
 * 2025-11-25 tasks with `params.task`. See examples/conformance-server.ts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type FastestMCP, InternalError, ToolError } from "../src/index.js";

const NO_ARGS = { type: "object", properties: {} } as const;

/**
 * Registers the tasks extension's fixtures: greet, slow_compute, failing_job, protocol_error_job,
 * confirm_delete, multi_input, test_tool_with_task.
 */
export function addTasksExtensionFixtures(server: FastestMCP): void {
  server
    .addTool("greet", ({ name }) => `Hello, ${String(name)}!`, {
      description: "Sync-only greeting",
      inputSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
    })
    .addTool(
      "slow_compute",
      async ({ seconds, label }, ctx) => {
        // Cancelling the task aborts the signal, so the task ends cancelled, not completed.
        await sleep(Number(seconds ?? 0) * 1000, undefined, { signal: ctx.signal });
        return `Computed ${String(label ?? "")} after ${Number(seconds ?? 0)}s`;
      },
      {
        description: "Sleeps for `seconds`, then answers",
        inputSchema: {
          type: "object",
          properties: { seconds: { type: "number" }, label: { type: "string" } },
        },
        task: true,
      },
    )
    .addTool(
      "failing_job",
      async (_args, ctx) => {
        await sleep(1000, undefined, { signal: ctx.signal });
        throw new ToolError("failing_job failed, as it always does");
      },
      {
        description: "Runs only as a task; ends with a tool error",
        inputSchema: NO_ARGS,
        task: { mode: "required" },
      },
    )
    .addTool(
      "protocol_error_job",
      () => {
        throw new InternalError("protocol_error_job hit an internal error, as it always does");
      },
      { description: "Ends with a JSON-RPC error", inputSchema: NO_ARGS, task: true },
    )
    .addTool(
      "confirm_delete",
      async ({ filename }, ctx) => {
        // On 2026-07-28 the task waits in input_required until tasks/update answers.
        const answer = await ctx.elicit(`Delete ${String(filename)}?`, {
          type: "object",
          properties: { confirm: { type: "boolean" } },
          required: ["confirm"],
        });
        return answer.action === "accept" && answer.content?.confirm === true
          ? `Deleted ${String(filename)}`
          : `Kept ${String(filename)}`;
      },
      {
        description: "Asks the user to confirm, then answers",
        inputSchema: { type: "object", properties: { filename: { type: "string" } }, required: ["filename"] },
        task: true,
      },
    )
    .addTool(
      "multi_input",
      async (_args, ctx) => {
        // Two asks at once: the task waits on both keys, and tasks/update may answer one at a time.
        const schema = {
          type: "object",
          properties: { name: { type: "string" }, confirm: { type: "boolean" } },
        } as const;
        const [first, second] = await Promise.all([
          ctx.elicit("First input?", schema),
          ctx.elicit("Second input?", schema),
        ]);
        return `Got ${String(first.content?.name)} and ${String(second.content?.name)}`;
      },
      { description: "Asks two questions in parallel, then answers", inputSchema: NO_ARGS, task: true },
    )
    .addTool("test_tool_with_task", ({ user_name }) => `Hello, ${String(user_name)}! (from the task)`, {
      description: "Asks the user's name in the call (input_required rounds), then runs as a task",
      inputSchema: { type: "object", properties: { user_name: { type: "string" } } },
      task: {
        mode: "required",
        // Before the task exists: on 2026-07-28 an input_required round of the tools/call itself.
        prepare: async (args, ctx) => {
          const answer = await ctx.elicit<{ name: string }>("What is your name?", {
            type: "object",
            properties: { name: { type: "string" } },
            required: ["name"],
          });
          return { ...args, user_name: answer.content?.name };
        },
      },
    });
}
