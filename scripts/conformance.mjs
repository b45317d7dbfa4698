#!/usr/bin/env node
/**
 * Runs the official MCP conformance suite against examples/conformance-server.ts over Streamable HTTP,
 * as three sets, one after the other against one server, each with its own baseline:
 *   legacy      suite 0.1.16, active scenarios            conformance/baseline.yml
 *   2026-07-28  suite 0.2.0-alpha.12, --requirements      conformance/baseline-2026-07-28.yml
 *   2025-11-25  suite 0.2.0-alpha.12, --requirements      conformance/baseline-2025-11-25.yml
 *
 *   npm run conformance                                       # every set, each against its baseline
 *   npm run conformance -- --set 2026-07-28                   # one set
 *   npm run conformance -- --set legacy --scenario tools-list # one scenario (no baseline: its own pass/fail)
 *   npm run conformance -- --set 2026-07-28 --scenario input-required-result-multi-round  # one, at that revision
 *   npm run conformance -- --set legacy --suite all           # pending scenarios too
 *   npm run conformance -- -o /tmp/mcp-conformance            # also save each scenario's checks.json
 *
 * Other arguments go to every set's `conformance server` as they are. The exit code is 0 when every
 * set's failures are listed in its baseline and no listed scenario passes, else the first failing
 * set's code (1; 124 on timeout).
 * Environment: CONFORMANCE_TIMEOUT_MS (default 300000) bounds the suite's run; PORT (default: any
 * free port) is the server's port. See conformance/README.md.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/**
 * The sets, each with its suite version pinned: bump one deliberately and review its baseline when
 * you do. 0.1.16 runs the suite's active scenarios (2025-11-25 sessions); 0.2.0-alpha.12 runs
 * exactly what each revision requires, the 2026-07-28 one statelessly.
 */
const SETS = [
  { name: "legacy", version: "0.1.16", args: [], baseline: "conformance/baseline.yml" },
  {
    name: "2026-07-28",
    version: "0.2.0-alpha.12",
    args: ["--requirements", "2026-07-28"],
    baseline: "conformance/baseline-2026-07-28.yml",
  },
  {
    name: "2025-11-25",
    version: "0.2.0-alpha.12",
    args: ["--requirements", "2025-11-25"],
    baseline: "conformance/baseline-2025-11-25.yml",
  },
];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVER_ENTRY = "examples/conformance-server.ts";
const TIMEOUT_MS = Number(process.env.CONFORMANCE_TIMEOUT_MS ?? 5 * 60_000);
const SERVER_START_TIMEOUT_MS = 30_000;
const KILL_GRACE_MS = 5_000;
/** The suite needs Node >= 22 (it imports `fs.globSync`); on older Node, npx fetches Node 22 to run it. */
const NEEDS_NODE_22 = Number(process.versions.node.split(".")[0]) < 22;

const argv = process.argv.slice(2);
const setIndex = argv.indexOf("--set");
const setName = setIndex === -1 ? undefined : argv[setIndex + 1];
const extraArgs = setIndex === -1 ? argv : [...argv.slice(0, setIndex), ...argv.slice(setIndex + 2)];
const selectedSets = setName === undefined ? SETS : SETS.filter((set) => set.name === setName);
if (selectedSets.length === 0) {
  console.error(`conformance: --set must be one of ${SETS.map((set) => set.name).join(", ")}.`);
  process.exit(2);
}
const hasOption = (name) => extraArgs.some((arg) => arg === name || arg.startsWith(`${name}=`));

if (!Number.isFinite(TIMEOUT_MS) || TIMEOUT_MS <= 0) {
  console.error("conformance: CONFORMANCE_TIMEOUT_MS must be a number of milliseconds > 0.");
  process.exit(2);
}
if (hasOption("--url")) {
  console.error("conformance: --url is set by this script (it starts its own server); drop it.");
  process.exit(2);
}

/** @type {import("node:child_process").ChildProcess | undefined} */
let server;
/** @type {import("node:child_process").ChildProcess | undefined} */
let suite;

function log(message) {
  process.stderr.write(`conformance: ${message}\n`);
}

function alive(child) {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

/** Signals the suite's process group (npx and the node process it starts), by the group leader's pid. */
function signalSuite(signal) {
  if (!alive(suite) || suite.pid === undefined) return;
  try {
    process.kill(-suite.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Stops the server child by its pid: SIGTERM, then SIGKILL after a grace period. */
async function stopServer() {
  const child = server;
  if (!alive(child)) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => {
    if (alive(child)) child.kill("SIGKILL");
  }, KILL_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Starts the server and resolves with the endpoint URL it prints as its first stdout line. */
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SERVER_ENTRY], {
      cwd: ROOT,
      env: { ...process.env, PORT: process.env.PORT ?? "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    server = child;
    const timer = setTimeout(() => {
      reject(new Error(`the server printed no URL within ${SERVER_START_TIMEOUT_MS} ms`));
    }, SERVER_START_TIMEOUT_MS);
    const onExit = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited before printing its URL (code ${code}, signal ${signal})`));
    };
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", onExit);
    const lines = createInterface({ input: child.stdout });
    let first = true;
    lines.on("line", (line) => {
      if (!first) {
        process.stderr.write(`[server stdout] ${line}\n`);
        return;
      }
      first = false;
      clearTimeout(timer);
      child.off("exit", onExit);
      const url = line.trim();
      if (/^https?:\/\//.test(url)) resolve(url);
      else
        reject(
          new Error(
            `expected the endpoint URL on the server's first stdout line, got ${JSON.stringify(line)}`,
          ),
        );
    });
  });
}

/** Runs one set of the suite; resolves with its exit code (124 on timeout). */
function runSuite(url, set) {
  const pkg = `@modelcontextprotocol/conformance@${set.version}`;
  const args = NEEDS_NODE_22
    ? ["-y", "-p", "node@22", "-p", pkg, "conformance", "server", "--url", url]
    : ["-y", pkg, "server", "--url", url];
  // The suite refuses --requirements with --scenario: one scenario of a requirement set runs at
  // that set's spec version instead.
  const requirements = set.args.indexOf("--requirements");
  if (hasOption("--scenario") && requirements !== -1)
    args.push("--spec-version", set.args[requirements + 1], "--force");
  else args.push(...set.args);
  if (!hasOption("--scenario") && !hasOption("--expected-failures"))
    args.push("--expected-failures", set.baseline);
  args.push(...extraArgs);
  log(`npx ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    // Own process group, so a timeout or Ctrl+C ends npx and the suite process it starts together.
    const child = spawn("npx", args, { cwd: ROOT, env, stdio: "inherit", detached: true });
    suite = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      log(`timed out after ${TIMEOUT_MS} ms; stopping the suite`);
      signalSuite("SIGTERM");
      setTimeout(() => signalSuite("SIGKILL"), KILL_GRACE_MS).unref();
    }, TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve(124);
      else resolve(code ?? (signal === null ? 1 : 128 + (signalNumber(signal) ?? 0)));
    });
  });
}

function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal];
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(signal, () => {
    log(`${signal}: stopping the suite and the server`);
    signalSuite(signal === "SIGHUP" ? "SIGTERM" : signal);
    void stopServer().finally(() => process.exit(128 + signalNumber(signal)));
  });
}

const started = Date.now();
let exitCode = 1;
try {
  const url = await startServer();
  log(`server ${url} (pid ${server?.pid})`);
  exitCode = 0;
  for (const set of selectedSets) {
    log(`set ${set.name}: suite ${set.version} ${set.args.join(" ")}`.trimEnd());
    const code = await runSuite(url, set);
    log(`set ${set.name}: exit code ${code}`);
    if (exitCode === 0) exitCode = code;
    if (code === 124) break;
  }
} catch (error) {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  signalSuite("SIGKILL");
  await stopServer();
}
log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s with exit code ${exitCode}`);
process.exit(exitCode);
