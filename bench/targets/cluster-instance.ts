/**
 * Benchmark target of the cluster scenario: one FastestMCP instance over Streamable HTTP, on a
 * Redis backend (`--redis <url> --prefix <prefix>`: instances given the same pair form a cluster;
 * `--flush-ms <n>` sets its `progressFlushMs`) or, without `--redis`, on the default memory store
 * (the one-instance baseline).
 *
 * Its `work` task reports `steps` progress steps `stepMs` apart. Each step's message carries the
 * moment it was reported, `process.hrtime.bigint()`: the monotonic clock of the machine
 * (CLOCK_MONOTONIC on Linux), shared by every process on it, so the runner can subtract it from
 * the moment the step reaches it through another instance. The result lists every step's moment.
 */
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { FastestMCP } from "../../src/index.js";
import { redisBackend } from "../../src/redis.js";
import { announce } from "./control.js";

const { values } = parseArgs({
  options: {
    redis: { type: "string" },
    prefix: { type: "string", default: "bench-cluster:" },
    "flush-ms": { type: "string" },
  },
});
const flushMs = values["flush-ms"];

const backend =
  values.redis === undefined
    ? undefined
    : redisBackend({
        url: values.redis,
        prefix: values.prefix,
        // The store's default (100 ms) unless the variant sets it: how often progress is stored and published.
        ...(flushMs === undefined ? {} : { tasks: { progressFlushMs: Number(flushMs) } }),
      });

const server = FastestMCP.server("bench-cluster", {
  version: "1.0.0",
  ...(backend === undefined ? {} : { backend }),
  // Every anonymous stateless request shares one owner: room for a whole run (the default is 1,000).
  tasks: { maxTasksPerOwner: 100_000 },
}).addTool(
  "work",
  async ({ steps, stepMs }, ctx) => {
    const stamps: string[] = [];
    for (let step = 1; step <= steps; step++) {
      await delay(stepMs);
      const now = String(process.hrtime.bigint());
      stamps.push(now);
      await ctx.reportProgress(step, steps, `step ${step} @${now}`);
    }
    return { steps, stamps };
  },
  {
    inputSchema: z.object({ steps: z.number().int().positive(), stepMs: z.number().min(0) }),
    task: { mode: "required" },
  },
);

const handle = await server.listen({ port: 0 });
announce(handle.url);
