/**
 * Scenario 4: 2,000 idle sessions. Measure the server's memory after a full GC, open the sessions
 * (`initialize` + `notifications/initialized` each, 32 at a time), wait, GC again and measure:
 * the growth per session is what an idle session costs (RSS, and V8 heap for a less noisy view).
 */
import { setTimeout as delay } from "node:timers/promises";
import type { TargetProcess } from "../lib/child.js";
import { McpHttpClient } from "../lib/mcp-client.js";
import { failureOf, measured, measureTargets } from "../lib/run-targets.js";
import { checkRatio, type Scenario, type ScenarioContext, type ScenarioReport } from "../lib/scenario.js";
import { formatCount, formatFixed, formatMiB, formatRatio, ratioOf, renderTable } from "../lib/table.js";
import { BARE, FASTESTMCP, SDK, type Target } from "../lib/targets.js";

const CONCURRENCY = 32;

async function openSessions(url: string, count: number): Promise<McpHttpClient[]> {
  const clients: McpHttpClient[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      const client = new McpHttpClient(url);
      await client.initialize();
      clients.push(client);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return clients;
}

async function measure(target: TargetProcess, sessions: number, waitMs: number) {
  await openSessions(target.url, 10); // warm the code paths, so the baseline includes them
  const before = await target.memory(true);
  const started = performance.now();
  const clients = await openSessions(target.url, sessions);
  const openMs = performance.now() - started;
  await delay(waitMs);
  const after = await target.memory(true);
  return {
    opened: clients.length,
    openMs,
    rssAfter: after.rss,
    rssPerSession: (after.rss - before.rss) / clients.length,
    heapPerSession: (after.heapUsed - before.heapUsed) / clients.length,
  };
}

export const idleSessionsScenario: Scenario = {
  id: "idle",
  async run(context: ScenarioContext): Promise<ScenarioReport> {
    const sessions = context.quick ? 200 : 2_000;
    const waitMs = context.quick ? 200 : 1_000;
    const targets = [FASTESTMCP, SDK, BARE];
    const outcomes = await measureTargets("idle", targets, context, (process) =>
      measure(process, sessions, waitMs),
    );
    const perSession = (target: Target) => measured(outcomes, target, "rssPerSession");
    const heap = (target: Target) => measured(outcomes, target, "heapPerSession");
    const kib = (bytes: number | undefined) => formatFixed(bytes === undefined ? undefined : bytes / 1024, 1);
    const rows = targets.map((target) => {
      const failure = failureOf(outcomes, target);
      if (failure !== undefined) return [target.label, failure, "", "", "", "", "", ""];
      return [
        target.label,
        formatCount(measured(outcomes, target, "opened")),
        formatFixed(measured(outcomes, target, "openMs"), 0),
        formatMiB(measured(outcomes, target, "rssAfter")),
        kib(perSession(target)),
        kib(heap(target)),
        target.ours
          ? `${formatRatio(perSession(target), perSession(SDK))} / ${formatRatio(heap(target), heap(SDK))}`
          : "",
        target.ours
          ? `${formatRatio(perSession(target), perSession(BARE))} / ${formatRatio(heap(target), heap(BARE))}`
          : "",
      ];
    });
    return {
      title: `4. ${formatCount(sessions)} idle sessions, memory after GC`,
      table: renderTable(
        [
          "target",
          "sessions",
          "open ms",
          "RSS after GC",
          "RSS KiB / session",
          "heap KiB / session",
          "ours / SDK (RSS / heap)",
          "ours / bare (RSS / heap)",
        ],
        rows,
      ),
      notes: [
        "Per-session figures are the growth over the same process before the sessions were opened (after a warm-up of 10 sessions), both after a full GC. RSS rarely shrinks after GC, so it also holds the garbage peak of opening them; the heap figure is the live cost.",
      ],
      goals: [
        checkRatio(
          "idle-session RSS ≤ 0.3× SDK (per session)",
          ratioOf(perSession(FASTESTMCP), perSession(SDK)),
          {
            atMost: 0.3,
          },
        ),
      ],
    };
  },
};
