/**
 * Scenario 5: in-process `server.callTool` latency of a trivial tool (FastestMCP only): no
 * transport, no JSON, just dispatch, context and result handling. Runs in a fresh child.
 */
import { runJsonChild } from "../lib/child.js";
import { log } from "../lib/run-targets.js";
import type { Scenario, ScenarioContext, ScenarioReport } from "../lib/scenario.js";
import { formatCount, formatFixed, renderTable } from "../lib/table.js";

interface InProcessResult {
  calls: number;
  p50Us: number;
  p99Us: number;
  meanUs: number;
  callsPerSecond: number;
}

export const inProcessScenario: Scenario = {
  id: "in-process",
  async run(context: ScenarioContext): Promise<ScenarioReport> {
    const calls = context.quick ? 10_000 : 100_000;
    let cells: string[];
    try {
      const result = await runJsonChild<InProcessResult>(
        {
          script: "targets/in-process.ts",
          args: ["--calls", String(calls)],
          nodeArgs: context.profileArgs("in-process-fastestmcp"),
        },
        120_000,
      );
      log(`in-process · ${JSON.stringify(result)}`);
      cells = [
        formatCount(result.calls),
        formatFixed(result.p50Us, 2),
        formatFixed(result.p99Us, 2),
        formatFixed(result.meanUs, 2),
        formatCount(result.callsPerSecond),
      ];
    } catch (error) {
      cells = [`failed: ${(error as Error).message}`, "", "", "", ""];
    }
    return {
      title: `5. in-process callTool of a trivial tool, ${formatCount(calls)} sequential calls`,
      table: renderTable(
        ["target", "calls", "p50 µs", "p99 µs", "mean µs", "calls/s"],
        [["FastestMCP", ...cells]],
      ),
      notes: ["No comparison: the SDK has no in-process call API."],
      goals: [],
    };
  },
};
