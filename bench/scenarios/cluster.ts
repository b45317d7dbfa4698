/**
 * Scenario: the cluster (issue 17). N task calls of 10 progress steps each, 50 in flight at a time,
 * round-robin over 3 FastestMCP instances sharing one Redis (redis-server on loopback), against
 * the same load on 1 instance with the memory store. Each task is created on instance i with a
 * 2026-07-28 stateless `tools/call`, watched with `subscriptions/listen` on instance i+1 until it
 * ends, and checked with `tasks/get` on instance i+2: status, stored progress and result exact.
 *
 * Progress latency across processes: each step's message carries the handler's
 * `process.hrtime.bigint()` (CLOCK_MONOTONIC, one clock for every process on the machine), and
 * the runner subtracts it from the moment it reads the notice. Only steps reported after the
 * listen stream was acknowledged count (earlier ones reach it as the stored state it opens with).
 */
import { Redis } from "ioredis";
import { type RedisServer, startRedisServer } from "../../test/redis/redis-server.js";
import { TargetProcess } from "../lib/child.js";
import { log } from "../lib/run-targets.js";
import type { GoalCheck, Scenario, ScenarioContext, ScenarioReport } from "../lib/scenario.js";
import { medianOf, percentile } from "../lib/stats.js";
import { formatCount, formatFixed, formatRatio, renderTable } from "../lib/table.js";
import { exact, latencies, runTasks } from "../lib/task-runs.js";

const STEPS = 10;
const STEP_MS = 50;
/**
 * Tasks in flight at once (a pool of clients, each starting its next task when one ends). Not all
 * at once: a task's listen stream must be open before most of its steps, or there is no latency to
 * read, and a runner parsing 1,000 streams at once measures its own queue instead.
 */
const IN_FLIGHT = 50;
/** The light-load probe before the burst: this many tasks, a few in flight, for the latency floor. */
const PROBES = 20;
const PROBES_IN_FLIGHT = 5;

interface Variant {
  id: string;
  label: string;
  instances: number;
  redis: boolean;
  /** The instances' `progressFlushMs` (default: the Redis store's 100 ms). */
  flushMs?: number;
}
const SINGLE: Variant = { id: "memory-1", label: "1 instance, memory store", instances: 1, redis: false };
const CLUSTER: Variant = { id: "redis-3", label: "3 instances + Redis", instances: 3, redis: true };
/** Progress stored and published at once: the latency of the path between instances, without the flush wait. */
const CLUSTER_NO_FLUSH: Variant = {
  id: "redis-3-flush-0",
  label: "3 instances + Redis, progressFlushMs 0",
  instances: 3,
  redis: true,
  flushMs: 0,
};

type Measurement = Record<string, number>;
const WORK = { steps: STEPS, stepMs: STEP_MS };

/** redis-server's CPU time so far (ms) and the commands it ran, by name (`INFO cpu`, `INFO commandstats`). */
async function redisUsage(redis: Redis | undefined): Promise<{ cpuMs: number; calls: Map<string, number> }> {
  const calls = new Map<string, number>();
  if (redis === undefined) return { cpuMs: 0, calls };
  const cpu = await redis.info("cpu");
  const read = (field: string) =>
    Number(cpu.match(new RegExp(`^${field}:([\\d.]+)`, "m"))?.[1] ?? Number.NaN);
  for (const [, name, count] of (await redis.info("commandstats")).matchAll(/^cmdstat_(\S+):calls=(\d+)/gm)) {
    calls.set(name as string, Number(count));
  }
  return { cpuMs: (read("used_cpu_sys") + read("used_cpu_user")) * 1000, calls };
}

/** Commands run between two readings, most first: `evalsha 3000, xread 2000, …`. */
function callsBetween(before: Map<string, number>, after: Map<string, number>): Array<[string, number]> {
  return [...after]
    .map(([name, count]): [string, number] => [name, count - (before.get(name) ?? 0)])
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);
}

async function measure(
  variant: Variant,
  tasks: number,
  warmup: number,
  context: ScenarioContext,
  round: number,
) {
  const server: RedisServer | undefined = variant.redis ? await startRedisServer() : undefined;
  const prefix = `bench-cluster-${round}:`;
  const args = server === undefined ? [] : ["--redis", server.url, "--prefix", prefix];
  if (variant.flushMs !== undefined) args.push("--flush-ms", String(variant.flushMs));
  const instances: TargetProcess[] = [];
  const redis = server === undefined ? undefined : new Redis(server.url, { lazyConnect: false });
  try {
    for (let i = 0; i < variant.instances; i++) {
      const nodeArgs = context.profileArgs(`cluster-${variant.id}-${round}-${i}`);
      instances.push(await TargetProcess.start({ script: "targets/cluster-instance.ts", args, nodeArgs }));
    }
    const urls = instances.map((instance) => instance.url);
    // Warm-up: the JIT on every side, and every instance's Redis event reader started.
    await runTasks(urls, WORK, warmup, IN_FLIGHT);
    const probe = await runTasks(urls, WORK, PROBES, PROBES_IN_FLIGHT);
    const light: number[] = [];
    for (const run of probe.runs) latencies(run, light, []);
    light.sort((a, b) => a - b);
    const cpuBefore = instances.map((instance) => instance.cpuMs() ?? Number.NaN);
    const redisBefore = await redisUsage(redis);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    const { runs, failed } = await runTasks(urls, WORK, tasks, IN_FLIGHT);
    const wallMs = performance.now() - started;
    const client = process.cpuUsage(clientBefore);
    const serverCpuMs = instances.reduce(
      (sum, instance, i) => sum + (instance.cpuMs() ?? Number.NaN) - (cpuBefore[i] as number),
      0,
    );
    const redisAfter = await redisUsage(redis);
    const commands = callsBetween(redisBefore.calls, redisAfter.calls);
    if (commands.length > 0) {
      const top = commands.slice(0, 6).map(([name, count]) => `${name} ${count}`);
      log(`cluster · ${variant.label} · Redis commands: ${top.join(", ")}`);
    }
    if (failed.length > 0)
      log(`cluster · ${variant.label} · ${failed.length} task(s) failed: ${String(failed[0])}`);
    const updates: number[] = [];
    const steps: number[] = [];
    for (const run of runs) latencies(run, updates, steps);
    updates.sort((a, b) => a - b);
    steps.sort((a, b) => a - b);
    const acks = runs.map((run) => Number(run.watched.ackAtNs - run.createdAtNs) / 1e6).sort((a, b) => a - b);
    const notices = runs.reduce((sum, run) => sum + run.watched.notices.length, 0);
    return {
      exact: runs.filter((run) => exact(run, STEPS)).length,
      wallMs,
      serverCpuMs,
      redisCpuMs: redisAfter.cpuMs - redisBefore.cpuMs,
      redisCommands: commands.reduce((sum, [, count]) => sum + count, 0),
      clientCpuMs: (client.user + client.system) / 1000,
      lightP50: percentile(light, 50),
      lightP99: percentile(light, 99),
      updateP50: percentile(updates, 50),
      updateP99: percentile(updates, 99),
      updateSamples: updates.length,
      stepP50: percentile(steps, 50),
      stepP99: percentile(steps, 99),
      stepSamples: steps.length,
      ackP50: percentile(acks, 50),
      ackP99: percentile(acks, 99),
      noticesPerTask: notices / Math.max(1, runs.length),
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    redis?.disconnect();
    await server?.stop();
  }
}

export const clusterScenario: Scenario = {
  id: "cluster",
  async run(context: ScenarioContext): Promise<ScenarioReport> {
    const tasks = context.quick ? 200 : 1000;
    const warmup = context.quick ? 20 : 100;
    const variants = [SINGLE, CLUSTER, CLUSTER_NO_FLUSH];
    const results = new Map<string, Measurement[]>();
    const failures = new Map<string, string>();
    for (let round = 0; round < context.rounds; round++) {
      const order = (context.index + round) % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        if (failures.has(variant.id)) continue;
        try {
          const value = await measure(variant, tasks, warmup, context, round);
          results.set(variant.id, [...(results.get(variant.id) ?? []), value]);
          log(`cluster · ${variant.label} · ${JSON.stringify(value)}`);
        } catch (error) {
          failures.set(variant.id, error instanceof Error ? error.message : String(error));
          log(`cluster · ${variant.label} · FAILED: ${failures.get(variant.id)}`);
        }
      }
    }
    const median = (variant: Variant) => {
      const runs = results.get(variant.id);
      return runs === undefined ? undefined : medianOf(runs);
    };
    const single = median(SINGLE);
    const cluster = median(CLUSTER);
    const perTask = (m: Measurement | undefined, field: string) =>
      m === undefined ? undefined : (m[field] as number) / tasks;
    const both = (m: Measurement | undefined) =>
      m === undefined ? undefined : ((m.serverCpuMs as number) + (m.redisCpuMs as number)) / tasks;
    const rows = variants.map((variant) => {
      const m = median(variant);
      const failure = failures.get(variant.id);
      if (m === undefined)
        return [variant.label, `failed: ${failure ?? "no run"}`, "", "", "", "", "", "", "", "", ""];
      const ratio =
        variant !== SINGLE
          ? `${formatRatio(m.wallMs, single?.wallMs)} · ${formatRatio(perTask(m, "serverCpuMs"), perTask(single, "serverCpuMs"))} · ${formatRatio(both(m), both(single))}`
          : "";
      return [
        variant.label,
        `${formatCount(m.exact)} / ${formatCount(tasks)}`,
        formatFixed(m.wallMs, 0),
        formatFixed(perTask(m, "serverCpuMs"), 2),
        variant.redis ? formatFixed(perTask(m, "redisCpuMs"), 2) : "",
        variant.redis ? formatFixed(perTask(m, "redisCommands"), 1) : "",
        `${formatFixed(m.lightP50, 1)} / ${formatFixed(m.lightP99, 1)}`,
        `${formatFixed(m.updateP50, 1)} / ${formatFixed(m.updateP99, 1)} (${formatCount(m.updateSamples)})`,
        `${formatFixed(m.stepP50, 1)} / ${formatFixed(m.stepP99, 1)} (${formatCount(m.stepSamples)})`,
        formatFixed(m.noticesPerTask, 1),
        ratio,
      ];
    });
    const clusters = [cluster, median(CLUSTER_NO_FLUSH)];
    const lost = clusters.some((m) => m === undefined)
      ? undefined
      : clusters.reduce((sum, m) => sum + tasks - (m?.exact as number), 0);
    const zeroLoss: GoalCheck = {
      goal: "cluster: zero lost tasks, every final state exact (3 instances + Redis, both flush settings)",
      measured: lost === undefined ? "n/a" : `${formatCount(lost)} lost or inexact`,
      met: lost === undefined ? undefined : lost === 0,
    };
    return {
      title: `cluster: ${formatCount(tasks)} tasks × ${STEPS} progress steps (${STEP_MS} ms apart), ${IN_FLIGHT} in flight, round-robin over the instances (median of ${context.rounds} round(s))`,
      table: renderTable(
        [
          "variant",
          "exact final state",
          "wall ms",
          "server CPU ms / task",
          "Redis CPU ms / task",
          "Redis commands / task",
          `progress latency p50 / p99 ms, ${PROBES_IN_FLIGHT} in flight`,
          `progress latency p50 / p99 ms, ${IN_FLIGHT} in flight (updates)`,
          `step → seen p50 / p99 ms, ${IN_FLIGHT} in flight (steps)`,
          "notices / task",
          "vs 1 instance (wall · server CPU/task · server+Redis CPU/task)",
        ],
        rows,
      ),
      notes: [
        "Each task: `tools/call` on instance i, `subscriptions/listen` on instance i+1 until it ends, `tasks/get` on instance i+2 (one instance: all three on it). The exact check reads status, stored progress (current, total, message) and result of every task, and the stream's last notice.",
        `Latency: the handler stamps each step with \`process.hrtime.bigint()\` (CLOCK_MONOTONIC, shared by every process on the machine); \`progress latency\` is read time minus stamp for each newly delivered progress value, \`step → seen\` for every step until a notice showing it arrived (so it includes coalescing: the Redis store writes and publishes progress every \`progressFlushMs\`, 100 ms by default; the flush-0 row shows the path without that wait). Steps before the stream was acknowledged are left out. The \`${PROBES_IN_FLIGHT} in flight\` column is a light-load probe of ${PROBES} tasks before the burst: the latency floor on this machine.`,
        "`server CPU` sums the instances' CPU time (all threads, /proc schedstat) over the burst; `Redis CPU` is redis-server's (INFO cpu), `Redis commands` what it ran (INFO commandstats; the most frequent are in the log lines). The client (this process, one core at most) parses every stream: its CPU and the time from a task's handle to its stream's acknowledgement (`ackP50`) are in the log lines.",
      ],
      goals: [zeroLoss],
    };
  },
};
