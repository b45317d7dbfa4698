#!/usr/bin/env node
/**
 * Installs fastestmcp the way users do and runs it from a fresh project, outside this repository:
 *
 *   1. `npm pack` → tarball; a new temporary project installs it (`npm install <tarball>`);
 *   2. the same project installs it from git (`npm install git+file://<this repo>`: no dist/ in
 *      git, so the package's `prepare` script must build it), unless `--no-git`;
 *
 * and for each: imports it (ESM) and requires it (CommonJS) through every entry point (fastestmcp,
 * /client, /node, /fetch, /stdio, /sqlite, /redis, /testing), type-checks TypeScript files against its
 * declarations (one as a Node project, one as a Workers/browser project without Node's types),
 * runs a tool call with progress in-process, over HTTP, through the fetch front and over stdio,
 * checks that /sqlite and /redis load without their optional peers better-sqlite3 and ioredis (and
 * ask for them when a store opens), runs /testing's store behaviours (scripts/package-consumer/),
 * and runs the bin (`npx fastestmcp --help`). Exit code 0 when everything
 * passes. The git install uses the last commit, not uncommitted changes.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CONSUMER = join(ROOT, "scripts", "package-consumer");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const withGit = !process.argv.includes("--no-git");
const NPM_FLAGS = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

function run(command, args, cwd) {
  const started = Date.now();
  execFileSync(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
  return Date.now() - started;
}

/** A new project that installs `spec`, then the checks. */
function checkInstall(label, spec, work) {
  const project = join(work, label);
  cpSync(CONSUMER, project, { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: `consumer-${label}`, private: true }, null, 2)}\n`,
  );
  const compilerOptions = {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules", "@types")],
  };
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["check.ts"] }));
  // A Workers or browser project: the DOM's types, not Node's, and the package's declarations
  // checked too (skipLibCheck off), so a Node type in fastestmcp/fetch's API would fail here.
  writeFileSync(
    join(project, "tsconfig.web.json"),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, lib: ["ES2022", "DOM"], types: [], skipLibCheck: false },
      files: ["check-web.ts"],
    }),
  );
  const installMs = run("npm", ["install", spec, ...NPM_FLAGS], project);
  run(process.execPath, ["check.mjs"], project);
  run(process.execPath, ["check.cjs"], project);
  run(process.execPath, [TSC, "-p", "tsconfig.json"], project);
  run(process.execPath, [TSC, "-p", "tsconfig.web.json"], project);
  // The package's bin, as users run it.
  const help = execFileSync("npx", ["--offline", "fastestmcp", "--help"], { cwd: project, encoding: "utf8" });
  if (!help.includes("fastestmcp call <url> <tool>"))
    throw new Error(`npx fastestmcp --help printed: ${help}`);
  console.log(`package-test: ${label} install (${installMs} ms): import, require and types ok`);
}

const work = mkdtempSync(join(tmpdir(), "fastestmcp-package-"));
try {
  execFileSync("npm", ["pack", "--pack-destination", work, "--loglevel=error"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
  if (tarball === undefined) throw new Error("npm pack wrote no tarball");
  checkInstall("tarball", join(work, tarball), work);
  if (withGit) checkInstall("git", `git+file://${ROOT}`, work);
  console.log("package-test: passed");
} catch (error) {
  console.error(`package-test: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
