/**
 * One process of a test cluster (an instance of examples/cluster/server.ts, later a worker): a
 * real `node --import tsx` child whose stdout lines are kept, so a test waits for what the
 * process says (`listening on …`, `task … stopped: …`) instead of sleeping. Every process
 * started here is killed (SIGKILL, by pid) when the test process exits, even after a failure.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";

const live = new Set<ChildProcessWithoutNullStreams>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** How to start a process: its script, its arguments, and the stdout line that says it is ready. */
export interface ProcessSpec {
  /** A TypeScript file, run with `node --import tsx`, relative to the repository root. */
  script: string;
  args: readonly string[];
  /** Matches the line that says the process is ready (its first group, if any, is kept as `readyMatch`). */
  ready: RegExp;
}

export class ClusterProcess {
  readonly name: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far. */
  readonly lines: string[] = [];
  readonly #waiters = new Set<() => void>();
  readonly #exited: Promise<void>;

  private constructor(name: string, spec: ProcessSpec) {
    this.name = name;
    this.child = spawn(process.execPath, ["--import", "tsx", spec.script, ...spec.args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    live.add(this.child);
    this.#exited = new Promise((resolve) =>
      this.child.once("exit", () => {
        live.delete(this.child);
        for (const wake of this.#waiters) wake();
        resolve();
      }),
    );
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      this.lines.push(line);
      for (const wake of this.#waiters) wake();
    });
    this.child.stderr.on("data", (chunk: Buffer) => process.stderr.write(`[${name} stderr] ${chunk}`));
  }

  /** Starts the process and resolves once it printed its ready line (rejects if it exits first). */
  static async start(name: string, spec: ProcessSpec): Promise<{ process: ClusterProcess; ready: string[] }> {
    const started = new ClusterProcess(name, spec);
    try {
      const match = await started.waitFor(spec.ready);
      return { process: started, ready: [...match] };
    } catch (error) {
      await started.kill("SIGKILL");
      throw error;
    }
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Resolves with the match of the first stdout line `pattern` matches, now or later; rejects
   * when the process exits without printing one.
   */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const look = (): void => {
        for (const line of this.lines) {
          const match = line.match(pattern);
          if (match !== null) {
            this.#waiters.delete(look);
            resolve(match);
            return;
          }
        }
        if (!this.alive) {
          this.#waiters.delete(look);
          reject(
            new Error(
              `${this.name} exited without printing ${pattern}; it printed:\n${this.lines.join("\n")}`,
            ),
          );
        }
      };
      this.#waiters.add(look);
      look();
    });
  }

  /** Sends `signal` (SIGTERM: a clean close; SIGKILL: `kill -9`) and resolves once the process is gone. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.alive) this.child.kill(signal);
    await this.#exited;
  }
}
