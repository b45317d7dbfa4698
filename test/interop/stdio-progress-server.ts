/**
 * A FastestMCP server on stdio for the SDK stdio interop tests, run as a child process:
 * `node --import tsx test/interop/stdio-progress-server.ts`. Every tool reports `count` progress
 * updates (`step i of count`) before it returns, so a test can check that each one arrived.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { z } from "zod";
import { FastestMCP } from "../../src/index.js";
import { serveStdio } from "../../src/transports/stdio.js";

const steps = z.object({ count: z.number().int().min(1) });

const server = FastestMCP.server("stdio-progress", { version: "1.0.0", progressIntervalMs: 0 })
  .addTool(
    "sync-steps",
    ({ count }, ctx) => {
      // Synchronous: the updates coalesce into one (the last), sent in the same tick as the result.
      for (let i = 1; i <= count; i++) void ctx.reportProgress(i, count, `step ${i} of ${count}`);
      return `did ${count} steps`;
    },
    { inputSchema: steps },
  )
  .addTool(
    "burst-steps",
    async ({ count }, ctx) => {
      // Each awaited update is sent on its own; all of them and the result leave in one tick.
      for (let i = 1; i <= count; i++) await ctx.reportProgress(i, count, `step ${i} of ${count}`);
      return `did ${count} steps`;
    },
    { inputSchema: steps },
  )
  .addTool(
    "paced-steps",
    async ({ count }, ctx) => {
      // One update per event-loop turn; the result follows the last update in the same tick.
      for (let i = 1; i <= count; i++) {
        await nextTurn();
        await ctx.reportProgress(i, count, `step ${i} of ${count}`);
      }
      return `did ${count} steps`;
    },
    { inputSchema: steps },
  )
  .addTool(
    "task-steps",
    async ({ count }, ctx) => {
      for (let i = 1; i <= count; i++) {
        await nextTurn();
        await ctx.reportProgress(i, count, `step ${i} of ${count}`);
      }
      return `did ${count} steps`;
    },
    { inputSchema: steps, task: { mode: "optional", pollInterval: 10 } },
  );

// The SDK clients answer a barrier ping only after they have handled every update before it: on
// a loaded machine 10,000 of them take longer than the default 1 s wait, and then the result
// could overtake the last updates. The tests check that every update arrives, not the timeout.
const transport = await serveStdio(server, { progressBarrierTimeoutMs: 30_000 });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void transport.close());
}
await transport.closed;
await server.close();
