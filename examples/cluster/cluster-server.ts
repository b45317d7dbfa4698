/**
 * The server every process of the cluster runs: the same tools, the same Redis backend. Each
 * instance (server.ts) serves it over HTTP; a worker process (worker.ts) runs the same
 * definitions for the job queue, which is why they live here and not in server.ts.
 *
 * Each tool prints what it starts and how it ends, so the terminals of the instances show which
 * one runs which task.
 */

import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { type Context, FastestMCP } from "../../src/index.js";
import { redisBackend } from "../../src/redis.js";
import type { ClusterConfig } from "./cluster-config.js";

/** Prints one line of this instance's log: `[a] task … started: report`. */
function say(instance: string, line: string): void {
  console.log(`[${instance}] ${line}`);
}

/**
 * Runs a handler's work, printing where it runs and how it ended: `finished`, or `stopped` with
 * the reason (a `tasks/cancel` served by any instance aborts `ctx.signal` here).
 */
async function logged<T>(instance: string, ctx: Context, tool: string, work: () => Promise<T>): Promise<T> {
  const what = ctx.taskId === undefined ? `call ${String(ctx.requestId)}` : `task ${ctx.taskId}`;
  say(instance, `${what} started: ${tool}`);
  try {
    const value = await work();
    say(instance, `${what} finished: ${tool}`);
    return value;
  } catch (error) {
    const reason = ctx.signal.aborted ? ctx.signal.reason : error;
    say(instance, `${what} stopped: ${tool}: ${(reason as Error)?.message ?? String(reason)}`);
    throw error;
  }
}

const ReportArgs = z.object({
  steps: z.number().int().min(1).max(1000).default(10),
  stepMs: z.number().int().min(0).max(60_000).default(500),
});
const SlowArgs = z.object({
  seconds: z.number().int().min(1).max(86_400).default(600),
  tickMs: z.number().int().min(10).max(60_000).default(1000),
});
const ChecksumArgs = z.object({
  text: z.string(),
  rounds: z.number().int().min(1).max(100).default(5),
  roundMs: z.number().int().min(0).max(60_000).default(200),
});

/** The cluster's server: its tools on a Redis backend shared by every process given the same `prefix`. */
export function clusterServer(config: ClusterConfig): FastestMCP {
  const { instance } = config;
  const backend = redisBackend({
    url: config.redisUrl,
    prefix: config.prefix,
    tasks: config.leaseMs === undefined ? undefined : { leaseMs: config.leaseMs },
    queue: config.queue
      ? {
          work: config.work,
          ...(config.lockMs === undefined ? {} : { lockDurationMs: config.lockMs }),
          ...(config.stalledMs === undefined ? {} : { stalledIntervalMs: config.stalledMs }),
        }
      : false,
  });
  return FastestMCP.server("cluster", { version: "1.0.0", backend })
    .addTool("whoami", () => ({ instance }), {
      description: "Names the instance that answered: call it a few times through the load balancer.",
    })
    .addTool(
      "report",
      ({ steps, stepMs }, ctx) =>
        logged(instance, ctx, "report", async () => {
          const progress = ctx.progress().setTotal(steps);
          for (let step = 1; step <= steps; step++) {
            await sleep(stepMs, undefined, { signal: ctx.signal }); // the "work" of one step
            progress.increment().setMessage(`Step ${step} of ${steps} done on ${instance}`);
          }
          return { steps, instance };
        }),
      {
        description:
          "Works through `steps` steps (default 10), `stepMs` apart (default 500), reporting progress " +
          "after each; as a task, any instance answers tasks/get with its progress.",
        inputSchema: ReportArgs,
        task: true,
      },
    )
    .addTool(
      "slow",
      ({ seconds, tickMs }, ctx) =>
        logged(instance, ctx, "slow", async () => {
          const ticks = Math.ceil((seconds * 1000) / tickMs);
          const progress = ctx.progress().setTotal(ticks);
          for (let tick = 1; tick <= ticks; tick++) {
            // Aborted by a tasks/cancel served on any instance: the sleep rejects at once.
            await sleep(tickMs, undefined, { signal: ctx.signal });
            progress.increment().setMessage(`Tick ${tick} of ${ticks} on ${instance}`);
          }
          return { ticks, instance };
        }),
      {
        description:
          "Runs for `seconds` (default 600), reporting progress every `tickMs` (default 1000): " +
          "cancel it with tasks/cancel through any instance, or kill its instance and watch it fail.",
        inputSchema: SlowArgs,
        task: true,
      },
    )
    .addTool(
      "checksum",
      ({ text, rounds, roundMs }, ctx) =>
        logged(instance, ctx, "checksum", async () => {
          const progress = ctx.progress().setTotal(rounds);
          let digest = text;
          for (let round = 1; round <= rounds; round++) {
            await sleep(roundMs, undefined, { signal: ctx.signal });
            digest = createHash("sha256").update(digest).digest("hex");
            progress.increment().setMessage(`Round ${round} of ${rounds}`);
          }
          return { sha256: digest, rounds, instance };
        }),
      {
        description:
          "Hashes `text` with SHA-256 `rounds` times (default 5), one round every `roundMs`. The same " +
          "input always gives the same answer and changes nothing, so running it again is safe.",
        inputSchema: ChecksumArgs,
        // Safe to run twice: what lets a job queue retry it when its process dies (README.md).
        annotations: { idempotentHint: true, readOnlyHint: true },
        task: true,
      },
    );
}
