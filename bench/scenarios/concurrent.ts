/**
 * Scenario 3: 1,000 concurrent calls of a tool that reports 10 steps 10 ms apart, spread over 10
 * sessions, all sent at once (each with a progress token). Wall time until the last result,
 * completed calls, notifications received, server CPU time and the server's peak RSS (kernel
 * VmHWM, reset after a same-size warm-up burst; the RSS at the end where /proc is unavailable).
 */
import type { TargetProcess } from "../lib/child.js";
import { McpHttpClient, resultText } from "../lib/mcp-client.js";
import { failureOf, measured, measureTargets } from "../lib/run-targets.js";
import { checkRatio, type Scenario, type ScenarioContext, type ScenarioReport } from "../lib/scenario.js";
import { formatCount, formatFixed, formatMiB, formatRatio, ratioOf, renderTable } from "../lib/table.js";
import { BARE, FASTESTMCP, SDK, type Target } from "../lib/targets.js";

const SESSIONS = 10;
const STEPS = 10;
const DELAY_MS = 10;

async function burst(clients: readonly McpHttpClient[], calls: number, tag: string) {
  let notifications = 0;
  const started = performance.now();
  const settled = await Promise.allSettled(
    Array.from({ length: calls }, (_, i) =>
      (clients[i % clients.length] as McpHttpClient).request(
        "tools/call",
        {
          name: "slow",
          arguments: { steps: STEPS, delayMs: DELAY_MS },
          _meta: { progressToken: `${tag}-${i}` },
        },
        () => notifications++,
      ),
    ),
  );
  const wallMs = performance.now() - started;
  const completed = settled.filter(
    (s) => s.status === "fulfilled" && resultText(s.value.result) === "done",
  ).length;
  const firstError = settled.find((s) => s.status === "rejected");
  if (completed === 0 && firstError?.status === "rejected") throw firstError.reason;
  return { wallMs, completed, notifications };
}

async function measure(target: TargetProcess, calls: number) {
  const clients = Array.from({ length: SESSIONS }, () => new McpHttpClient(target.url));
  await Promise.all(clients.map((client) => client.initialize()));
  // A full-size warm-up burst: JIT and the client's connection pool are warm for the measured one.
  await burst(clients, calls, "warmup");
  const before = (await target.memory(true)).rss;
  const canReset = target.resetPeakRss();
  const cpuBefore = target.cpuMs() ?? Number.NaN;
  const result = await burst(clients, calls, "run");
  const serverCpuMs = (target.cpuMs() ?? Number.NaN) - cpuBefore;
  const end = await target.memory(false);
  const peakRss = canReset ? (target.peakRss() ?? end.rss) : end.rss;
  return { ...result, serverCpuMs, rssBefore: before, peakRss, rssGrowth: peakRss - before };
}

export const concurrentScenario: Scenario = {
  id: "concurrent",
  async run(context: ScenarioContext): Promise<ScenarioReport> {
    const calls = context.quick ? 200 : 1_000;
    const targets = [FASTESTMCP, SDK, BARE];
    const outcomes = await measureTargets("concurrent", targets, context, (process) =>
      measure(process, calls),
    );
    const wall = (target: Target) => measured(outcomes, target, "wallMs");
    const peak = (target: Target) => measured(outcomes, target, "peakRss");
    const growth = (target: Target) => measured(outcomes, target, "rssGrowth");
    const rows = targets.map((target) => {
      const failure = failureOf(outcomes, target);
      if (failure !== undefined) return [target.label, failure, "", "", "", "", "", "", "", ""];
      return [
        target.label,
        formatFixed(wall(target), 0),
        `${formatCount(measured(outcomes, target, "completed"))} / ${formatCount(calls)}`,
        formatCount(measured(outcomes, target, "notifications")),
        formatCount(measured(outcomes, target, "serverCpuMs")),
        formatMiB(measured(outcomes, target, "rssBefore")),
        formatMiB(peak(target)),
        formatMiB(growth(target)),
        target.ours
          ? `${formatRatio(wall(target), wall(SDK))} / ${formatRatio(peak(target), peak(SDK))}`
          : "",
        target.ours
          ? `${formatRatio(wall(target), wall(BARE))} / ${formatRatio(peak(target), peak(BARE))}`
          : "",
      ];
    });
    return {
      title: `3. ${formatCount(calls)} concurrent calls over ${SESSIONS} sessions, ${STEPS} progress steps ${DELAY_MS} ms apart`,
      table: renderTable(
        [
          "target",
          "wall ms",
          "completed",
          "notifications",
          "server CPU ms",
          "RSS before",
          "peak RSS",
          "peak − before",
          "ours / SDK (wall / RSS)",
          "ours / bare (wall / RSS)",
        ],
        rows,
      ),
      notes: [
        `The ideal wall time is ${STEPS * DELAY_MS} ms (one call's own duration). Lower ratios are better here. FastestMCP coalesces progress (default 50 ms), so it sends fewer notifications than one per step.`,
        "Peak RSS includes the ~45–60 MiB every Node process starts with and what the warm-up burst left behind; `peak − before` is what the burst itself cost.",
        "The shared fetch client costs the runner about 1 ms of CPU per streamed call, so wall time is partly client-bound (see the bare row); `server CPU ms` is the server's own cost.",
      ],
      goals: [
        checkRatio("concurrent wall time ≤ 0.5× SDK", ratioOf(wall(FASTESTMCP), wall(SDK)), { atMost: 0.5 }),
        checkRatio("concurrent peak RSS ≤ 0.5× SDK", ratioOf(peak(FASTESTMCP), peak(SDK)), { atMost: 0.5 }),
        checkRatio(
          "concurrent RSS growth (peak − before) ≤ 0.5× SDK",
          ratioOf(growth(FASTESTMCP), growth(SDK)),
          {
            atMost: 0.5,
          },
        ),
      ],
    };
  },
};
