/**
 * The conformance server's fixtures for the MCP 2026-07-28 tasks extension
 * (`io.modelcontextprotocol/tasks`, SEP-2663): the suite's `tasks-*` scenarios. A request that
 * declares the extension gets a task handle for every task-supporting tool; the same tools run as
 * 2025-11-25 tasks with `params.task`. See examples/conformance-server.ts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type FastestMCP, InternalError, ToolError } from "../src/index.js";

const NO_ARGS = { type: "object", properties: {} } as const;

/** Registers the tasks extension's fixtures: greet, slow_compute, failing_job, protocol_error_job, confirm_delete. */
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
        // On 2026-07-28 a task that asks needs tasks/update delivering its answers, not built yet:
        // there the task fails at once (see conformance/baseline-2026-07-28.yml).
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
    );
}
