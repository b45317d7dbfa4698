import { FastestMcpError } from "../errors.js";

/**
 * Options of the job queue (`redisBackend({ url, queue: { … } })`): where background tasks run
 * when several instances share Redis. See docs/queue.md.
 */
export interface RedisJobQueueOptions {
  /** The queue's name under the prefix (default `"tasks"`): instances with the same prefix and name share jobs. */
  name?: string;
  /**
   * Whether this instance runs jobs too (default `true`: every instance works, starting just
   * after it is created). `false`: it only accepts tasks and enqueues them; a worker elsewhere
   * (`server.runWorker()`, `fastestmcp worker`) runs them.
   */
  work?: boolean;
  /** Jobs one worker runs at once (default 32); `runWorker({ concurrency })` overrides it. */
  concurrency?: number;
  /**
   * How many times the job of a tool annotated `idempotentHint: true` may start in all when
   * workers running it stop (killed, crashed, cut off; default 3). Any other tool's job starts
   * once: its task fails when its worker stops.
   */
  attempts?: number;
  /**
   * How long a running job's lock lasts (default 15,000 ms); the worker renews it every half of
   * that. A worker that stops renewing (killed, or its event loop blocked this long) loses the job.
   */
  lockDurationMs?: number;
  /**
   * How often a worker looks for jobs whose lock lapsed (default 5,000 ms): a killed worker's job
   * is found within `lockDurationMs` plus one to two `stalledIntervalMs` (20-25 s by default; one
   * check per interval across all workers, and a timer that fires just before the previous
   * check's mark expires skips a turn).
   */
  stalledIntervalMs?: number;
  /**
   * How long `close()` waits for running jobs before it gives them back (default 10,000 ms): an
   * idempotent tool's job goes back to the queue, any other's task fails.
   */
  closeTimeoutMs?: number;
  /** Extra ioredis options for the queue's connections (`tls`, `username`, …). */
  redisOptions?: Record<string, unknown>;
}

/** {@link RedisJobQueueOptions} checked, defaults applied. */
export type ResolvedQueueOptions = Required<Omit<RedisJobQueueOptions, "redisOptions">> & {
  redisOptions: Record<string, unknown>;
};

/** The defaults (docs/queue.md): a killed worker's job is found within 25 s. */
export const QUEUE_DEFAULTS = Object.freeze({
  name: "tasks",
  work: true,
  concurrency: 32,
  attempts: 3,
  lockDurationMs: 15_000,
  stalledIntervalMs: 5_000,
  closeTimeoutMs: 10_000,
});

/**
 * The queue options, defaults applied and checked before anything connects.
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for a name that is empty or has a `:`, or a number out of range.
 */
export function queueOptions(given: RedisJobQueueOptions | true): ResolvedQueueOptions {
  const options = given === true ? {} : given;
  const resolved: ResolvedQueueOptions = { ...QUEUE_DEFAULTS, redisOptions: {}, ...options };
  const invalid = (message: string) => new FastestMcpError("FMCP_ERR_OPTION_INVALID", message);
  if (typeof resolved.name !== "string" || !/^[^:\s]+$/.test(resolved.name)) {
    throw invalid(
      `The queue name must be a non-empty string without ":" or spaces, got ${JSON.stringify(resolved.name)}.`,
    );
  }
  const checks: Array<[string, number, number, number]> = [
    ["concurrency", resolved.concurrency, 1, 10_000],
    ["attempts", resolved.attempts, 1, 100],
    ["lockDurationMs", resolved.lockDurationMs, 100, 3_600_000],
    ["stalledIntervalMs", resolved.stalledIntervalMs, 100, 3_600_000],
    ["closeTimeoutMs", resolved.closeTimeoutMs, 0, 3_600_000],
  ];
  for (const [name, value, min, max] of checks) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw invalid(
        `The queue option ${name} must be an integer from ${min} to ${max}, got ${String(value)}.`,
      );
    }
  }
  return resolved;
}
