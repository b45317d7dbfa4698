/**
 * Scenario 5 child: in-process `callTool` latency of a trivial tool, no transport at all.
 * Prints one JSON line `{ calls, p50Us, p99Us, meanUs, callsPerSecond }`. Args: `--calls <n>`.
 */
import { parseArgs } from "node:util";
import { FastestMCP } from "../../src/index.js";
import { percentile } from "../lib/stats.js";

const { values } = parseArgs({ options: { calls: { type: "string", default: "100000" } } });
const calls = Number(values.calls);

const server = FastestMCP.server("bench-in-process").addTool("noop", () => "ok");

for (let i = 0; i < Math.min(calls, 10_000); i++) await server.callTool("noop");

const samples = new Float64Array(calls);
const started = performance.now();
for (let i = 0; i < calls; i++) {
  const t0 = performance.now();
  await server.callTool("noop");
  samples[i] = performance.now() - t0;
}
const wallMs = performance.now() - started;
samples.sort();
await server.close();

const sum = samples.reduce((total, value) => total + value, 0);
process.stdout.write(
  `${JSON.stringify({
    calls,
    p50Us: percentile(samples, 50) * 1000,
    p99Us: percentile(samples, 99) * 1000,
    meanUs: (sum / calls) * 1000,
    callsPerSecond: calls / (wallMs / 1000),
  })}\n`,
);
