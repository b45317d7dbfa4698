/**
 * Benchmark children: every target (and the in-process scenario) runs in a fresh
 * `node --expose-gc <script>` process on loopback, from JavaScript compiled by `tsc -p bench`
 * (`npm run bench` compiles first): the way servers run in production. A TypeScript loader in the
 * children would cost every target ~35 MiB of RSS (its worker thread) and rewrite our source
 * (helpers such as `__name` on every closure), which a compiled build does not. Every child is tracked and killed
 * by pid, on success, on error, on SIGINT/SIGTERM and at exit; startup and queries are time-bounded.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { MemoryReply } from "../targets/control.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const STARTUP_TIMEOUT_MS = 20_000;
const QUERY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3_000;
/** USER_HZ of /proc/<pid>/stat: 100 on every Linux platform Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

const live = new Set<ChildProcess>();

/** Kills every child still running (SIGKILL, by pid). Safe to call from signal and exit handlers. */
export function killAllChildren(): void {
  for (const child of live) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  live.clear();
}

process.once("exit", killAllChildren);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

/** Where `tsc -p bench` writes its output (git-ignored). */
const BUILD_DIR = "bench/.build/bench";

/** How to start a child: a script under bench/ (as `.ts`) plus its arguments and extra node flags. */
export interface ChildSpec {
  script: string;
  args?: readonly string[];
  nodeArgs?: readonly string[];
}

function spawnChild(spec: ChildSpec): ChildProcess {
  const compiled = `${BUILD_DIR}/${spec.script.replace(/\.ts$/, ".js")}`;
  if (!existsSync(`${REPO_ROOT}${compiled}`)) {
    throw new Error(`${compiled} is missing: compile the benchmark first (npx tsc -p bench).`);
  }
  const args = ["--expose-gc", ...(spec.nodeArgs ?? []), compiled, ...(spec.args ?? [])];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

/** Resolves with the child's first stdout line (or rejects when it exits or times out first). */
function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => done(new Error(`no output within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString("utf8");
      const newline = buffered.indexOf("\n");
      if (newline !== -1) done(undefined, buffered.slice(0, newline).trim());
    };
    const onExit = (code: number | null): void => done(new Error(`exited with code ${code} before output`));
    const done = (error?: Error, line?: string): void => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      child.stdout?.resume(); // keep draining so the child never blocks on a full pipe
      if (error === undefined && line !== undefined) resolve(line);
      else reject(error);
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Stops a child: SIGTERM (clean exit, writes `--cpu-prof` profiles), then SIGKILL after a grace period. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** The kernel's peak-RSS mark (VmHWM) of a process, in bytes. */
function peakRssOf(pid: number): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmHWM:\s+(\d+) kB/m);
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** A running server target. */
export class TargetProcess {
  readonly url: string;
  readonly pid: number;
  readonly #child: ChildProcess;
  #nextQuery = 0;

  private constructor(child: ChildProcess, url: string) {
    this.#child = child;
    this.url = url;
    this.pid = child.pid as number;
  }

  /** Starts a target script and waits for the URL it prints. */
  static async start(spec: ChildSpec): Promise<TargetProcess> {
    const child = spawnChild(spec);
    try {
      const url = await firstLine(child, STARTUP_TIMEOUT_MS);
      if (!url.startsWith("http://127.0.0.1:")) throw new Error(`unexpected first line "${url}"`);
      return new TargetProcess(child, url);
    } catch (error) {
      await stopChild(child);
      throw new Error(`${spec.script} failed to start: ${(error as Error).message}`);
    }
  }

  /** `process.memoryUsage()` of the target, after two full GCs when `gc` is set. */
  memory(gc: boolean): Promise<NodeJS.MemoryUsage> {
    const id = ++this.#nextQuery;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error("memory query timed out")), QUERY_TIMEOUT_MS);
      const onMessage = (message: unknown): void => {
        const reply = message as MemoryReply;
        if (reply?.type === "memory" && reply.id === id) finish(undefined, reply);
      };
      const finish = (error?: Error, reply?: MemoryReply): void => {
        clearTimeout(timer);
        this.#child.off("message", onMessage);
        if (reply !== undefined) resolve(reply);
        else reject(error);
      };
      this.#child.on("message", onMessage);
      this.#child.send({ type: "memory", id, gc });
    });
  }

  /** Resets the kernel's peak-RSS mark (VmHWM); false where /proc does not allow it. */
  resetPeakRss(): boolean {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, "5");
      return true;
    } catch {
      return false;
    }
  }

  /**
   * CPU time the target used so far (all its threads), in ms, from /proc; undefined elsewhere.
   * Read from each thread's `schedstat` (nanoseconds) where the kernel has it, else from `stat`
   * (10 ms clock ticks: too coarse for a call that takes 50 ms).
   */
  cpuMs(): number | undefined {
    try {
      let ns = 0;
      for (const thread of readdirSync(`/proc/${this.pid}/task`)) {
        ns += Number(readFileSync(`/proc/${this.pid}/task/${thread}/schedstat`, "utf8").split(" ")[0]);
      }
      if (Number.isFinite(ns) && ns > 0) return ns / 1e6;
    } catch {
      // No schedstat (kernel without CONFIG_SCHEDSTATS) or the process is gone: try stat.
    }
    try {
      const fields = readFileSync(`/proc/${this.pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    } catch {
      return undefined;
    }
  }

  /** Peak RSS since start (or the last {@link resetPeakRss}) in bytes, from /proc; undefined elsewhere. */
  peakRss(): number | undefined {
    return peakRssOf(this.pid);
  }

  async stop(): Promise<void> {
    await stopChild(this.#child);
  }
}

/** Runs a child script to completion and parses the JSON line it prints. */
export async function runJsonChild<T>(spec: ChildSpec, timeoutMs: number): Promise<T> {
  const child = spawnChild(spec);
  try {
    return JSON.parse(await firstLine(child, timeoutMs)) as T;
  } finally {
    await stopChild(child);
  }
}
