/**
 * Scenario: the same `tools/call` echo on MCP 2025-11-25 (one session) and on 2026-07-28
 * (stateless: no session, every request carries its `_meta` envelope and the standard headers),
 * against the same FastestMCP target, 32 connections for ~10 s each. Both answer JSON (the echo
 * is answered before the next event-loop turn). Goal: stateless costs no more server CPU per
 * request than a session does.
 */
import type { TargetProcess } from "../lib/child.js";
import { McpHttpClient, resultText } from "../lib/mcp-client.js";
import { CONNECTIONS, postLoad } from "../lib/post-load.js";
import { failureOf, measured, measureTargets } from "../lib/run-targets.js";
import { checkRatio, type Scenario, type ScenarioContext, type ScenarioReport } from "../lib/scenario.js";
import { formatCount, formatFixed, ratioOf, renderTable } from "../lib/table.js";
import { FASTESTMCP, type Target } from "../lib/targets.js";

const TEXT = "hello";
const STATELESS_VERSION = "2026-07-28";
const SESSION: Target = { ...FASTESTMCP, id: "fastestmcp-2025", label: "FastestMCP, 2025-11-25 session" };
const STATELESS: Target = { ...FASTESTMCP, id: "fastestmcp-2026", label: "FastestMCP, 2026-07-28 stateless" };
const ENVELOPE = `"_meta":{"io.modelcontextprotocol/protocolVersion":"${STATELESS_VERSION}","io.modelcontextprotocol/clientCapabilities":{}}`;

function requestBody(id: number, stateless: boolean): string {
  const meta = stateless ? `,${ENVELOPE}` : "";
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"text":"${TEXT}"}${meta}}}`;
}

function statelessHeaders(): Record<string, string> {
  return {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": STATELESS_VERSION,
    "mcp-method": "tools/call",
    "mcp-name": "echo",
  };
}

async function measure(target: TargetProcess, stateless: boolean, seconds: number, warmup: number) {
  let headers: Record<string, string>;
  if (stateless) {
    headers = statelessHeaders();
    const response = await fetch(target.url, { method: "POST", headers, body: requestBody(0, true) });
    const body = (await response.json()) as { result?: { resultType?: string } };
    if (body.result?.resultType !== "complete")
      throw new Error(`stateless echo answered ${JSON.stringify(body)}`);
  } else {
    const client = new McpHttpClient(target.url);
    await client.initialize();
    const { result } = await client.request("tools/call", { name: "echo", arguments: { text: TEXT } });
    if (resultText(result) !== TEXT) throw new Error(`echo answered ${JSON.stringify(result)}`);
    headers = client.headers();
  }
  const body = (id: number) => requestBody(id, stateless);
  await postLoad(target, headers, body, warmup);
  return postLoad(target, headers, body, seconds);
}

export const echoRevisionsScenario: Scenario = {
  id: "echo-revisions",
  async run(context: ScenarioContext): Promise<ScenarioReport> {
    const seconds = context.quick ? 2 : 10;
    const warmup = context.quick ? 1 : 5;
    const targets = [SESSION, STATELESS];
    const outcomes = await measureTargets("echo-revisions", targets, context, (process, target) =>
      measure(process, target === STATELESS, seconds, warmup),
    );
    const cpu = (target: Target) => measured(outcomes, target, "cpuUsPerRequest");
    const rows = targets.map((target) => {
      const failure = failureOf(outcomes, target);
      if (failure !== undefined) return [target.label, failure, "", "", ""];
      return [
        target.label,
        formatCount(measured(outcomes, target, "requestsPerSecond")),
        formatFixed(measured(outcomes, target, "p99Ms"), 1),
        formatCount(measured(outcomes, target, "failed")),
        formatFixed(cpu(target), 1),
      ];
    });
    return {
      title: `echo on 2025-11-25 (session) and 2026-07-28 (stateless), ${CONNECTIONS} connections, ${seconds} s`,
      table: renderTable(["target", "req/s", "p99 ms", "failed", "CPU µs / req"], rows),
      notes: [
        "Both answer JSON. `CPU µs / req` is the server process's CPU time per request (kernel included: see bench/README.md; `npm run bench:revisions` measures the framework's part alone).",
      ],
      goals: [
        // 10 % for noise on a shared 2-core machine: the goal is "not more", not "less".
        checkRatio(
          "stateless echo CPU/request ≤ session echo (±10 %)",
          ratioOf(cpu(STATELESS), cpu(SESSION)),
          {
            atMost: 1.1,
          },
        ),
      ],
    };
  },
};
