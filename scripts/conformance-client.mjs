#!/usr/bin/env node
/**
 * Runs the official MCP conformance suite's client scenarios against our Client, driven by
 * examples/conformance-client.ts.
 *
 *   npm run conformance:client                                  # 0.1.16, then 0.2.0-alpha.12 --requirements 2025-11-25 and 2026-07-28
 *   npm run conformance:client -- --scenario sse-retry          # one scenario of 0.1.16, its own pass/fail
 *   npm run conformance:client -- --requirements 2026-07-28     # only one of the alpha's requirement sets
 *   npm run conformance:client -- -o /tmp/mcp-client-conformance  # also save each scenario's checks.json
 *
 * Each scenario runs on its own (`conformance client --scenario <name> --command <driver>`) and
 * passes when the suite exits 0: every check passed AND the driver exited 0. The suite's own
 * `--suite` mode scores checks only, so a driver that crashes after the server saw the right
 * messages would pass there; the initialize bug of issue 19 was such a case.
 *
 * Exit code: 0 when every failing scenario is in conformance/client-baseline.yml and every listed
 * scenario that ran still fails; 1 otherwise; 124 on timeout (CONFORMANCE_TIMEOUT_MS, default 10 min).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The suite versions, pinned: bump them deliberately and review the baseline when you do. */
const PINNED_VERSION = "0.1.16";
const REQUIREMENTS_VERSION = "0.2.0-alpha.12";
/** The requirement sets of REQUIREMENTS_VERSION run by default (the client speaks both revisions). */
const DEFAULT_REQUIREMENTS = ["2025-11-25", "2026-07-28"];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BASELINE = "conformance/client-baseline.yml";
const DRIVER = "examples/conformance-client.ts";
const TIMEOUT_MS = Number(process.env.CONFORMANCE_TIMEOUT_MS ?? 10 * 60_000);
/** Per scenario, beyond the suite's own 30 s client timeout: scenario servers start and stop too. */
const SCENARIO_TIMEOUT_MS = 90_000;
const KILL_GRACE_MS = 5_000;

const args = process.argv.slice(2);
const scenarios = [];
const requirements = [];
let outputDir;
let verbose = false;
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === "--scenario") scenarios.push(args[++i]);
  else if (arg === "--requirements") requirements.push(args[++i]);
  else if (arg === "-o" || arg === "--output-dir") outputDir = args[++i];
  else if (arg === "--verbose") verbose = true;
  else {
    console.error(
      `conformance:client: unknown argument ${arg} (see the header of ${fileURLToPath(import.meta.url)})`,
    );
    process.exit(2);
  }
}
if (!Number.isFinite(TIMEOUT_MS) || TIMEOUT_MS <= 0) {
  console.error("conformance:client: CONFORMANCE_TIMEOUT_MS must be a number of milliseconds > 0.");
  process.exit(2);
}

// The suite splits the command on spaces; a node path with a space falls back to `node` on PATH.
const NODE = process.execPath.includes(" ") ? "node" : process.execPath;
const DRIVER_COMMAND = `${NODE} --import tsx ${DRIVER}`;

/** @type {Set<import("node:child_process").ChildProcess>} */
const running = new Set();

function log(message) {
  process.stderr.write(`conformance:client: ${message}\n`);
}

/** Runs a command in its own process group; resolves with its exit code and output. */
function run(command, commandArgs, { env = process.env, timeoutMs = SCENARIO_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    running.add(child);
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs} ms)\n`;
      signalGroup(child, "SIGKILL");
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code: code ?? 1, output });
    });
  });
}

function signalGroup(child, signal) {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/**
 * The directory holding the suite's `conformance` binary and a Node 22 (the suite imports
 * `fs.globSync`), as npx installs them: resolved once, then every scenario runs without npx.
 */
async function suiteBin(version) {
  const npxArgs = [
    "-y",
    "-p",
    "node@22",
    "-p",
    `@modelcontextprotocol/conformance@${version}`,
    "-c",
    "command -v conformance",
  ];
  const { code, output } = await run("npx", npxArgs, { timeoutMs: 5 * 60_000 });
  const path = output.split("\n").find((line) => line.trim().endsWith("/conformance"));
  if (code !== 0 || path === undefined)
    throw new Error(`npx could not install the suite ${version}:\n${output}`);
  return dirname(path.trim());
}

/** The client scenarios of a `conformance list` answer (the "Client scenarios" section). */
function clientScenarios(listing) {
  const lines = listing.split("\n");
  const start = lines.findIndex((line) => line.startsWith("Client scenarios"));
  const names = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^ {2}- (\S+)/.exec(line);
    if (match === null) break;
    names.push(match[1]);
  }
  return names;
}

/** The scenario names under `client:` in the baseline (a YAML list, one `- name` a line). */
function readBaseline() {
  const names = new Set();
  for (const line of readFileSync(join(ROOT, BASELINE), "utf8").split("\n")) {
    const match = /^\s*-\s+([^\s#]+)/.exec(line);
    if (match !== null) names.add(match[1]);
  }
  return names;
}

/** Runs one suite version's client scenarios, one at a time; returns the failures judged against the baseline. */
async function runSuite({ version, requirement, only }) {
  const bin = await suiteBin(version);
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` };
  const conformance = join(bin, "conformance");
  const listArgs =
    requirement === undefined ? ["list", "--client"] : ["list", "--client", "--requirements", requirement];
  const listing = await run(conformance, listArgs, { env });
  const all = clientScenarios(listing.output);
  if (all.length === 0) throw new Error(`conformance list printed no client scenarios:\n${listing.output}`);
  const unknown = only.filter((name) => !all.includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown scenario(s) ${unknown.join(", ")}; known: ${all.join(", ")}`);
  const selected = only.length > 0 ? only : all;
  const baseline = only.length > 0 ? new Set() : readBaseline();
  const label = requirement === undefined ? version : `${version} --requirements ${requirement}`;
  log(`suite ${label}: ${selected.length} client scenarios, driver: ${DRIVER_COMMAND}`);
  const result = { label, passed: [], expected: [], unexpected: [], stale: [] };
  for (const scenario of selected) {
    const scenarioArgs = ["client", "--scenario", scenario, "--command", DRIVER_COMMAND];
    if (requirement !== undefined) scenarioArgs.push("--spec-version", requirement);
    if (outputDir !== undefined) scenarioArgs.push("-o", outputDir);
    const started = Date.now();
    const { code, output } = await run(conformance, scenarioArgs, { env });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const listed = baseline.has(scenario);
    if (code === 0 && !listed) result.passed.push(scenario);
    else if (code === 0) result.stale.push(scenario);
    else if (listed) result.expected.push(scenario);
    else result.unexpected.push(scenario);
    const mark =
      code === 0
        ? listed
          ? "✗ stale baseline entry (passes now)"
          : "✓"
        : listed
          ? "~ expected failure"
          : "✗ FAILED";
    console.log(`${mark} ${scenario} (${seconds} s)`);
    if (verbose || (code !== 0 && !listed)) console.log(output.replace(/^npm warn .*\n/gm, ""));
  }
  return result;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(signal, () => {
    for (const child of running) signalGroup(child, "SIGKILL");
    process.exit(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]);
  });
}

const deadline = setTimeout(() => {
  log(`timed out after ${TIMEOUT_MS} ms`);
  for (const child of running) signalGroup(child, "SIGKILL");
  setTimeout(() => process.exit(124), KILL_GRACE_MS).unref();
}, TIMEOUT_MS);
deadline.unref();

const runs = [];
if (requirements.length === 0) runs.push({ version: PINNED_VERSION, only: scenarios });
if (scenarios.length === 0) {
  for (const requirement of requirements.length > 0 ? requirements : DEFAULT_REQUIREMENTS)
    runs.push({ version: REQUIREMENTS_VERSION, requirement, only: [] });
}

const started = Date.now();
let exitCode = 0;
try {
  for (const spec of runs) {
    const result = await runSuite(spec);
    console.log(
      `\n${result.label}: ${result.passed.length} passed, ${result.expected.length} expected failures, ` +
        `${result.unexpected.length} unexpected failures, ${result.stale.length} stale baseline entries`,
    );
    if (result.unexpected.length > 0) console.log(`  unexpected failures: ${result.unexpected.join(", ")}`);
    if (result.stale.length > 0)
      console.log(`  passing now, delete from ${BASELINE}: ${result.stale.join(", ")}`);
    if (result.unexpected.length > 0 || result.stale.length > 0) exitCode = 1;
  }
} catch (error) {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
}
log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s with exit code ${exitCode}`);
process.exit(exitCode);
