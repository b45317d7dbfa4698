/**
 * `npm run bench`: FastestMCP vs the official SDK v1 vs a bare node:http limit, in one run on one
 * machine, one fresh child process per target per scenario, alternating order. Prints a Markdown
 * report and writes it to bench/results/latest.md. See bench/README.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { killAllChildren, REPO_ROOT } from "./lib/child.js";
import { parseOptions, USAGE } from "./lib/options.js";
import { log } from "./lib/run-targets.js";
import type { GoalCheck, Scenario, ScenarioReport } from "./lib/scenario.js";
import { renderTable } from "./lib/table.js";
import { clusterScenario } from "./scenarios/cluster.js";
import { concurrentScenario } from "./scenarios/concurrent.js";
import { echoScenario } from "./scenarios/echo.js";
import { echoRevisionsScenario } from "./scenarios/echo-revisions.js";
import { idleSessionsScenario } from "./scenarios/idle-sessions.js";
import { inProcessScenario } from "./scenarios/in-process.js";
import { progressScenario } from "./scenarios/progress.js";

const SCENARIOS: readonly Scenario[] = [
  echoScenario,
  echoRevisionsScenario,
  progressScenario,
  concurrentScenario,
  idleSessionsScenario,
  inProcessScenario,
  clusterScenario,
];
const RESULTS_DIR = join(REPO_ROOT, "bench", "results");

function goalTable(goals: readonly GoalCheck[]): string {
  const verdict = (met: boolean | undefined) =>
    met === undefined ? "not measured" : met ? "met" : "NOT met";
  return renderTable(
    ["goal", "measured", "verdict"],
    goals.map((goal) => [goal.goal, goal.measured, verdict(goal.met)]),
  );
}

function render(reports: readonly ScenarioReport[], header: string): string {
  const sections = reports.map((report) =>
    [`## ${report.title}`, "", report.table, "", ...report.notes.map((note) => `_${note}_`)].join("\n"),
  );
  const goals = reports.flatMap((report) => report.goals);
  return [header, ...sections, "## Goals (issues 6 and 17)", goalTable(goals)].join("\n\n");
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2), join(RESULTS_DIR, "profiles"));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const unknown = [...options.only].filter((id) => !SCENARIOS.some((scenario) => scenario.id === id));
  if (unknown.length > 0) {
    console.error(`Unknown scenario(s): ${unknown.join(", ")}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const selected = SCENARIOS.filter((scenario) => options.only.size === 0 || options.only.has(scenario.id));
  const { profileDir } = options;
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  const profileArgs = (label: string): string[] =>
    profileDir === undefined
      ? []
      : // One directory per child: each thread (main, and tsx's loader-hooks worker) writes its own file.
        ["--cpu-prof", `--cpu-prof-dir=${join(profileDir, label)}`];

  const loadBefore = loadavg()[0] ?? 0;
  const started = performance.now();
  const reports: ScenarioReport[] = [];
  for (const [index, scenario] of selected.entries()) {
    log(`scenario ${scenario.id}`);
    reports.push(await scenario.run({ quick: options.quick, rounds: options.rounds, index, profileArgs }));
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const cpu = cpus();
  const header = [
    "# FastestMCP benchmark",
    "",
    `${new Date().toISOString()} · Node ${process.version} · ${cpu.length} × ${cpu[0]?.model.trim() ?? "cpu"} · ` +
      `${options.quick ? "quick" : "full"} run · ${options.rounds} round(s) · ${seconds} s · ` +
      `load average ${loadBefore.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after` +
      (profileDir === undefined ? "" : " · PROFILED (slower)"),
  ].join("\n");
  const report = render(reports, header);
  console.log(report);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, "latest.md"), `${report}\n`);
  log(`written to bench/results/latest.md`);
  if (profileDir !== undefined)
    log(`profiles in ${profileDir}: npx tsx bench/profile-summary.ts ${profileDir}`);
}

try {
  await main();
} finally {
  killAllChildren();
}
