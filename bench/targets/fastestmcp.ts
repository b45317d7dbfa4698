/**
 * Benchmark target: FastestMCP over Streamable HTTP (`server.listen()`), default options unless
 * `--json-response` or `--progress-interval-ms <n>` is given. Tools: `echo`, `progress`, `slow`.
 */
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { FastestMCP } from "../../src/index.js";
import { announce } from "./control.js";

const { values } = parseArgs({
  options: {
    "json-response": { type: "boolean", default: false },
    "progress-interval-ms": { type: "string" },
  },
});
const interval = values["progress-interval-ms"];

const server = FastestMCP.server("bench-fastestmcp", {
  version: "1.0.0",
  progressIntervalMs: interval === undefined ? undefined : Number(interval),
})
  .addTool("echo", ({ text }) => text, { inputSchema: z.object({ text: z.string() }) })
  .addTool(
    "progress",
    async ({ steps }, ctx) => {
      for (let step = 1; step <= steps; step++) await ctx.reportProgress(step, steps);
      return "done";
    },
    { inputSchema: z.object({ steps: z.number().int().positive() }) },
  )
  .addTool(
    "slow",
    async ({ steps, delayMs }, ctx) => {
      for (let step = 1; step <= steps; step++) {
        await delay(delayMs);
        await ctx.reportProgress(step, steps);
      }
      return "done";
    },
    { inputSchema: z.object({ steps: z.number().int().positive(), delayMs: z.number().min(0) }) },
  );

const handle = await server.listen({ port: 0, jsonResponse: values["json-response"] });
announce(handle.url);
