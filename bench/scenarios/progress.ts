/**
 * Scenario 2: progress throughput. One `tools/call` of a tool that reports 10,000 progress steps
 * as fast as it can (awaiting each report), with a progress token, read by the shared minimal SSE
 * client. Counts the notifications that arrive for the token and how fast. FastestMCP runs with
 * coalescing off (`progressIntervalMs: 0`) and on (default 50 ms); the SDK sends one
 * `notifications/progress` per step.
 */
import type { TargetProcess } from "../lib/child.js";
import { McpHttpClient, resultText } from "../lib/mcp-client.js";
import { failureOf, measured, measureTargets } from "../lib/run-targets.js";
import {
  checkRatio,
  type GoalCheck,
  type Scenario,
  type ScenarioContext,
  type ScenarioReport,
} from "../lib/scenario.js";
import { medianOf } from "../lib/stats.js";
import { formatCount, formatFixed, formatRatio, ratioOf, renderTable } from "../lib/table.js";
import { BARE, FASTESTMCP_COALESCING, FASTESTMCP_NO_COALESCING, SDK, type Target } from "../lib/targets.js";

async function call(target: TargetProcess, client: McpHttpClient, steps: number, token: string) {
  let arrived = 0;
  let last = 0;
  let outOfOrder = 0;
  const cpuBefore = target.cpuMs() ?? Number.NaN;
  const started = performance.now();
  const { result } = await client.request(
    "tools/call",
    { name: "progress", arguments: { steps }, _meta: { progressToken: token } },
    (message) => {
      if (message.method !== "notifications/progress" || message.params?.progressToken !== token) return;
      const progress = Number(message.params.progress);
      if (progress <= last) outOfOrder++;
      last = progress;
      arrived++;
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const serverCpuMs = (target.cpuMs() ?? Number.NaN) - cpuBefore;
  if (resultText(result) !== "done") throw new Error(`progress answered ${JSON.stringify(result)}`);
  return {
    arrived,
    lost: steps - arrived,
    outOfOrder,
    finalProgress: last,
    wallMs: seconds * 1000,
    notificationsPerSecond: arrived / seconds,
    stepsPerSecond: steps / seconds,
    serverCpuMs,
  };
}

async function measure(target: TargetProcess, steps: number, calls: number) {
  const client = new McpHttpClient(target.url);
  await client.initialize();
  // Two full-size warm-up calls: both the target's and the shared client's code are optimised by
  // the JIT before anything is measured (a cold client parses ~5× slower and would pace the first target).
  for (let i = 0; i < 2; i++) await call(target, client, steps, `warmup-${i}`);
  const runs = [];
  for (let i = 0; i < calls; i++) runs.push(await call(target, client, steps, `run-${i}`));
  return medianOf(runs);
}

export const progressScenario: Scenario = {
  id: "progress",
  async run(context: ScenarioContext): Promise<ScenarioReport> {
    const steps = context.quick ? 1_000 : 10_000;
    const calls = context.quick ? 1 : 3;
    const targets = [FASTESTMCP_NO_COALESCING, SDK, BARE, FASTESTMCP_COALESCING];
    const outcomes = await measureTargets("progress", targets, context, (process) =>
      measure(process, steps, calls),
    );
    const rate = (target: Target) => measured(outcomes, target, "notificationsPerSecond");
    const stepRate = (target: Target) => measured(outcomes, target, "stepsPerSecond");
    // Notifications per second of server CPU: what one core of the server could send.
    const capacity = (target: Target) =>
      (measured(outcomes, target, "arrived") ?? Number.NaN) /
      ((measured(outcomes, target, "serverCpuMs") ?? Number.NaN) / 1000);
    const both = (target: Target, other: Target) =>
      `${formatRatio(rate(target), rate(other))} · ${formatRatio(capacity(target), capacity(other))}`;
    const rows = targets.map((target) => {
      const failure = failureOf(outcomes, target);
      if (failure !== undefined) return [target.label, failure, "", "", "", "", "", "", "", ""];
      return [
        target.label,
        `${formatCount(measured(outcomes, target, "arrived"))} / ${formatCount(steps)}`,
        formatCount(measured(outcomes, target, "outOfOrder")),
        formatFixed(measured(outcomes, target, "wallMs"), 0),
        formatCount(rate(target)),
        formatCount(stepRate(target)),
        formatCount(measured(outcomes, target, "serverCpuMs")),
        formatCount(capacity(target)),
        target.ours ? both(target, SDK) : "",
        target.ours ? both(target, BARE) : "",
      ];
    });
    const lost = measured(outcomes, FASTESTMCP_NO_COALESCING, "lost");
    const zeroLoss: GoalCheck = {
      goal: "progress: zero lost notifications with coalescing off",
      measured: lost === undefined ? "n/a" : `${formatCount(lost)} lost`,
      met: lost === undefined ? undefined : lost === 0,
    };
    return {
      title: `2. progress throughput, one call reporting ${formatCount(steps)} steps (median of ${calls} calls per process)`,
      table: renderTable(
        [
          "target",
          "notifications arrived",
          "out of order",
          "wall ms",
          "notifications/s",
          "steps/s",
          "server CPU ms",
          "capacity notif/s per core",
          "ours / SDK (notif/s · capacity)",
          "ours / bare (notif/s · capacity)",
        ],
        rows,
      ),
      notes: [
        "With coalescing on, few notifications arrive by design (the latest state every 50 ms): read its `steps/s`, not `notifications/s`.",
        "`capacity` is notifications per second of server CPU time (all threads, from /proc schedstat): what one core of the server could send, whoever set the pace.",
      ],
      goals: [
        checkRatio(
          "progress notifications/s ≥ 10× SDK (coalescing off)",
          ratioOf(rate(FASTESTMCP_NO_COALESCING), rate(SDK)),
          { atLeast: 10 },
        ),
        checkRatio(
          "progress capacity ≥ 10× SDK (coalescing off)",
          ratioOf(capacity(FASTESTMCP_NO_COALESCING), capacity(SDK)),
          { atLeast: 10 },
        ),
        zeroLoss,
      ],
    };
  },
};
