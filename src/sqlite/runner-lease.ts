import { getBuiltinModule } from "../util/node-builtin.js";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-driver.js";

interface RunnerRow {
  runner: string;
  pid: number;
  host: string;
  heartbeat_at: number;
}

type Process = { pid?: number; kill?(pid: number, signal: number): unknown };
const runtimeProcess = (globalThis as { process?: Process }).process;

/** Whether a process with `pid` exists on this machine (signal 0 checks without signalling). */
function processAlive(pid: number): boolean {
  if (typeof runtimeProcess?.kill !== "function") return true;
  try {
    runtimeProcess.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it just is not ours to signal.
    return (error as { code?: unknown }).code === "EPERM";
  }
}

/**
 * This process's lease on a shared store: a `runners` row with its pid, host and a heartbeat
 * renewed every `leaseMs / 3`. Another process is dead when its pid is gone on this host (noticed
 * at once: the next start after a crash fails its tasks right away), or when its heartbeat is
 * older than `leaseMs` (a frozen process, a pid reused, another host).
 */
export class RunnerLease {
  readonly runner: string;
  readonly #pid: number;
  readonly #host: string;
  readonly #leaseMs: number;
  readonly #upsert: SqliteStatement;
  readonly #others: SqliteStatement;
  readonly #remove: SqliteStatement;

  constructor(db: SqliteDatabase, runner: string, leaseMs: number) {
    this.runner = runner;
    this.#pid = runtimeProcess?.pid ?? 0;
    this.#host = getBuiltinModule?.("node:os").hostname() ?? "unknown";
    this.#leaseMs = leaseMs;
    this.#upsert = db.prepare(
      "INSERT INTO runners (runner, pid, host, heartbeat_at) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (runner) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
    );
    this.#others = db.prepare("SELECT runner, pid, host, heartbeat_at FROM runners WHERE runner <> ?");
    this.#remove = db.prepare("DELETE FROM runners WHERE runner = ?");
  }

  /**
   * Renews the heartbeat (re-creating the row if another process took this one for dead: its
   * tasks were failed then, and the runtime stops their handlers when it notices).
   */
  beat(now: number): void {
    this.#upsert.run(this.runner, this.#pid, this.#host, now);
  }

  /** Removes the rows of dead processes and returns them: their unfinished tasks need failing. */
  reapDead(now: number): string[] {
    const dead: string[] = [];
    for (const row of this.#others.all(this.runner) as RunnerRow[]) {
      const gone = row.host === this.#host && row.pid !== this.#pid && !processAlive(row.pid);
      if (gone || row.heartbeat_at < now - this.#leaseMs) {
        this.#remove.run(row.runner);
        dead.push(row.runner);
      }
    }
    return dead;
  }

  /** Gives the lease up (the store closes). */
  release(): void {
    this.#remove.run(this.runner);
  }
}
