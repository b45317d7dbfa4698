/**
 * Scenario 1: `tools/call` echo over ONE session. Initialize, check one call, warm up, then
 * autocannon with 32 connections for ~10 s, every request the same body (only the JSON-RPC id
 * differs: ids must be unique among a session's in-flight requests), Accept `application/json,
 * text/event-stream`. Servers answer as they do by default (SSE for FastestMCP and the SDK);
 * the JSON-response variants are extra rows.
 */
import type { TargetProcess } from "../lib/child.js";
import { McpHttpClient, resultText } from "../lib/mcp-client.js";
import { CONNECTIONS, postLoad } from "../lib/post-load.js";
import { failureOf, measured, measureTargets } from "../lib/run-targets.js";
import { checkRatio, type Scenario, type ScenarioContext, type ScenarioReport } from "../lib/scenario.js";
import { formatCount, formatFixed, formatRatio, ratioOf, renderTable } from "../lib/table.js";
import { BARE, FASTESTMCP, FASTESTMCP_JSON, SDK, SDK_JSON, type Target } from "../lib/targets.js";

const TEXT = "hello";

async function measure(target: TargetProcess, seconds: number, warmupSeconds: number) {
  const client = new McpHttpClient(target.url);
  await client.initialize();
  const { result } = await client.request("tools/call", { name: "echo", arguments: { text: TEXT } });
  if (resultText(result) !== TEXT) throw new Error(`echo answered ${JSON.stringify(result)}`);
  const body = (id: number) =>
    `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"text":"${TEXT}"}}}`;
  await postLoad(target, client.headers(), body, warmupSeconds);
  return postLoad(target, client.headers(), body, seconds);
}

export const echoScenario: Scenario = {
  id: "echo",
  async run(context: ScenarioContext): Promise<ScenarioReport> {
    const seconds = context.quick ? 2 : 10;
    const warmup = context.quick ? 1 : 5;
    const targets = [FASTESTMCP, SDK, BARE, FASTESTMCP_JSON, SDK_JSON];
    const outcomes = await measureTargets("echo", targets, context, (process) =>
      measure(process, seconds, warmup),
    );
    const rps = (target: Target) => measured(outcomes, target, "requestsPerSecond");
    // Requests one core of the server could answer: independent of who set the pace.
    const capacity = (target: Target) => 1e6 / (measured(outcomes, target, "cpuUsPerRequest") ?? Number.NaN);
    const both = (target: Target, other: Target) =>
      `${formatRatio(rps(target), rps(other))} · ${formatRatio(capacity(target), capacity(other))}`;
    const peerOf = (target: Target) =>
      target === FASTESTMCP ? SDK : target === FASTESTMCP_JSON ? SDK_JSON : undefined;
    const rows = targets.map((target) => {
      const failure = failureOf(outcomes, target);
      if (failure !== undefined) return [target.label, failure, "", "", "", "", "", "", "", ""];
      const peer = peerOf(target);
      return [
        target.label,
        formatCount(rps(target)),
        formatFixed(measured(outcomes, target, "p50Ms"), 1),
        formatFixed(measured(outcomes, target, "p99Ms"), 1),
        formatCount(measured(outcomes, target, "failed")),
        `${formatFixed(measured(outcomes, target, "serverCpuPercent"), 0)} %`,
        formatFixed(measured(outcomes, target, "cpuUsPerRequest"), 0),
        formatCount(capacity(target)),
        peer === undefined ? "" : both(target, peer),
        target.ours ? both(target, BARE) : "",
      ];
    });
    return {
      title: `1. tools/call echo, one session, ${CONNECTIONS} connections, ${seconds} s (autocannon)`,
      table: renderTable(
        [
          "target",
          "req/s",
          "p50 ms",
          "p99 ms",
          "failed",
          "server CPU",
          "CPU µs / req",
          "capacity req/s per core",
          "ours / SDK (req/s · capacity)",
          "ours / bare (req/s · capacity)",
        ],
        rows,
      ),
      notes: [
        "`server CPU` is the target process's CPU time over the run's wall time (100 % = one core): under 100 % means the load generator, not the server, set the pace; `CPU µs / req` is the server's cost per request whatever the pace, and `capacity` (10⁶ / CPU µs per request) what one core of it could serve. Capacity ratios are the steadier comparison on a shared 2-core machine.",
        "Default answers are SSE for FastestMCP and the SDK; the bare limit answers JSON. `ours / SDK` compares like with like (SSE with SSE, JSON with JSON).",
      ],
      goals: [
        checkRatio("echo req/s ≥ 3× SDK (default, SSE)", ratioOf(rps(FASTESTMCP), rps(SDK)), { atLeast: 3 }),
        checkRatio("echo req/s ≥ 3× SDK (JSON responses)", ratioOf(rps(FASTESTMCP_JSON), rps(SDK_JSON)), {
          atLeast: 3,
        }),
        checkRatio("echo req/s ≥ 0.7× bare (default, SSE)", ratioOf(rps(FASTESTMCP), rps(BARE)), {
          atLeast: 0.7,
        }),
        checkRatio("echo req/s ≥ 0.7× bare (JSON responses)", ratioOf(rps(FASTESTMCP_JSON), rps(BARE)), {
          atLeast: 0.7,
        }),
        checkRatio("echo capacity ≥ 3× SDK (default, SSE)", ratioOf(capacity(FASTESTMCP), capacity(SDK)), {
          atLeast: 3,
        }),
        checkRatio(
          "echo capacity ≥ 3× SDK (JSON responses)",
          ratioOf(capacity(FASTESTMCP_JSON), capacity(SDK_JSON)),
          { atLeast: 3 },
        ),
        checkRatio(
          "echo capacity ≥ 0.7× bare (default, SSE)",
          ratioOf(capacity(FASTESTMCP), capacity(BARE)),
          {
            atLeast: 0.7,
          },
        ),
        checkRatio(
          "echo capacity ≥ 0.7× bare (JSON responses)",
          ratioOf(capacity(FASTESTMCP_JSON), capacity(BARE)),
          { atLeast: 0.7 },
        ),
      ],
    };
  },
};
