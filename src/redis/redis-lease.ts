import { INTERRUPTED_STATUS_MESSAGE, TaskInterruptedError } from "../tasks/task-errors.js";
import type { TerminalPatch } from "../tasks/task-store.js";

/** What the lease needs of its store: run the beat script, and fail a task as the store does. */
export interface LeaseHost {
  beat(runner: string, leaseMs: number, releasing: boolean): Promise<string[]>;
  fail(taskId: string, patch: TerminalPatch, bytes: number): Promise<unknown>;
}

/**
 * One store instance's lease on the tasks it created (and runs): an entry in `P runners` whose
 * deadline is renewed every `leaseMs / 3`, in Redis's own time, so the clocks of the machines do
 * not matter. An instance whose deadline has passed is dead (killed, frozen, cut off): the next
 * beat of any instance sharing the prefix fails its unfinished tasks, which would otherwise stay
 * `working` until their TTL. An instance taken for dead that comes back renews its lease; the
 * tasks already failed stay failed, and its runtime stops their handlers (`finishedSince`).
 */
export class RedisLease {
  readonly runner: string;
  readonly #host: LeaseHost;
  readonly #leaseMs: number;
  readonly #timer: ReturnType<typeof setInterval>;
  #beating: Promise<void> | undefined;

  constructor(host: LeaseHost, runner: string, leaseMs: number) {
    this.runner = runner;
    this.#host = host;
    this.#leaseMs = leaseMs;
    this.#timer = setInterval(() => void this.beat(), Math.max(10, Math.floor(leaseMs / 3)));
    (this.#timer as { unref?(): void }).unref?.();
    void this.beat();
  }

  /**
   * Renews the lease and fails the tasks of dead instances. Never rejects: Redis being away is
   * what the next beat is for (the lease allows for two misses).
   */
  beat(): Promise<void> {
    this.#beating ??= this.#recover(false).finally(() => {
      this.#beating = undefined;
    });
    return this.#beating;
  }

  /**
   * Stops renewing the lease and, with `recover`, ends it now: this instance's own unfinished
   * tasks are failed (a closing runtime cancelled them already, so normally there are none).
   * Without `recover` (Redis is away) the lease lapses by itself.
   */
  async release(recover: boolean): Promise<void> {
    clearInterval(this.#timer);
    if (!recover) return;
    await this.#beating;
    await this.#recover(true);
  }

  async #recover(releasing: boolean): Promise<void> {
    try {
      const orphans = await this.#host.beat(this.runner, this.#leaseMs, releasing);
      const lastUpdatedAt = new Date().toISOString();
      for (const taskId of orphans) {
        const error = new TaskInterruptedError(taskId).toJSON();
        const patch: TerminalPatch = {
          status: "failed",
          statusMessage: INTERRUPTED_STATUS_MESSAGE,
          lastUpdatedAt,
          error,
        };
        // Conditional like every terminal write: when two instances reap at once, one wins.
        await this.#host.fail(taskId, patch, JSON.stringify(error).length);
      }
    } catch {
      // Redis is unreachable or the store closed: the next beat (or the next instance) tries again.
    }
  }
}
