import { loadOptionalPeer, type Require } from "../util/optional-peer.js";
import type { RedisClient } from "./redis-driver.js";

/** What the queue uses of a BullMQ job (a structural subset, so our types never name bullmq). */
export interface BullJob {
  readonly id?: string | undefined;
  readonly data: unknown;
  /** How often the stalled check found this job's worker gone and put the job back. */
  readonly stalledCounter?: number;
  /** How many times the processor failed it (threw). */
  readonly attemptsMade?: number;
  readonly opts?: { attempts?: number };
  moveToWait(token?: string): Promise<unknown>;
  moveToDelayed(timestamp: number, token?: string): Promise<void>;
}

/** What the queue uses of BullMQ's `Queue`. */
export interface BullQueue {
  add(name: string, data: unknown, options: Record<string, unknown>): Promise<unknown>;
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** What the queue uses of BullMQ's `Worker`. */
export interface BullWorker {
  waitUntilReady(): Promise<unknown>;
  close(force?: boolean): Promise<void>;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "failed", listener: (job: BullJob | undefined, error: Error) => void): unknown;
}

/** A BullMQ processor: the job, the worker's lock token for it. */
export type BullProcessor = (job: BullJob, token?: string) => Promise<unknown>;

/** The parts of the `bullmq` module the queue uses. */
export interface BullMq {
  Queue: new (name: string, options: { connection: RedisClient; prefix: string }) => BullQueue;
  Worker: new (name: string, processor: BullProcessor, options: Record<string, unknown>) => BullWorker;
  /** Thrown by a processor that moved its job back itself (`moveToDelayed`). */
  DelayedError: new () => Error;
  /** Thrown by a processor that moved its job back itself (`moveToWait`). */
  WaitingError: new () => Error;
}

let cached: BullMq | undefined;

/**
 * BullMQ, required the moment a job queue is made and never before: it is an optional peer
 * dependency, like ioredis, so neither `import "fastestmcp"` nor `import "fastestmcp/redis"`
 * needs it installed.
 *
 * Why BullMQ: it is the Node standard for jobs on Redis, with the three things a task queue needs
 * already right and widely run: locks renewed while a job runs and a stalled-job check that puts
 * back the job of a worker that died, retries, and per-worker concurrency; its jobs live under
 * our key prefix in the same Redis as the task store.
 * @throws {FastestMcpError} `FMCP_ERR_STORE_DRIVER_MISSING` when bullmq is not installed.
 */
export function loadBullMq(require?: Require): BullMq {
  if (require === undefined && cached !== undefined) return cached;
  const loaded = loadOptionalPeer(
    { name: "bullmq", neededBy: "redisBackend({ queue })", repair: "npm install bullmq again" },
    require,
  ) as BullMq;
  if (require === undefined) cached = loaded;
  return loaded;
}
