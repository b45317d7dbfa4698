import { FastestMcpError } from "../errors.js";
import { InvalidParamsError } from "../protocol/protocol-error.js";
import type { DiagnosticLogger } from "../util/diagnostics.js";
import { isoAt } from "../util/iso-now.js";
import { randomUUID } from "../util/random-uuid.js";
import type { TaskEventBus } from "./task-event-bus.js";
import type { StartTaskRequest } from "./task-execution.js";
import type { TaskQueue } from "./task-queue.js";
import type { NewTaskRecord, OwnerQuota, TaskStore } from "./task-store.js";

/** Limits and defaults of the task runtime. */
export interface TaskRuntimeOptions {
  /** Where records live (default: a new `MemoryTaskStore`). */
  store?: TaskStore;
  /**
   * Carries task events between the instances sharing `store` (normally given by the server's
   * `backend`, e.g. `redisBackend`): status, stored progress and log entries of a task running
   * elsewhere reach the listeners and sessions here, and cross-instance cancels and waits take
   * one round trip instead of a store poll. The runtime never closes it.
   */
  events?: TaskEventBus;
  /**
   * Where tasks run (normally given by the server's `backend`, e.g. `redisBackend({ url, queue
   * })`): a task becomes a job that any worker sharing the queue runs. Default: none, a task runs
   * in the process that started it. The runtime never closes it.
   */
  queue?: TaskQueue;
  /** TTL when neither the caller nor the tool asks for one (default 1 hour). */
  defaultTtlMs?: number;
  /** Upper bound on any TTL (default 24 hours); longer requests are capped. */
  maxTtlMs?: number;
  /** Honour `ttl: null` (keep until deleted). Default `false`: null is capped to `maxTtlMs`. */
  allowUnlimitedTtl?: boolean;
  /**
   * Tasks one owner may keep, finished ones included (default 1000). At the bound, a new task
   * evicts the owner's longest-finished task; it is refused (`TaskLimitError`) only when all of
   * them are unfinished.
   */
  maxTasksPerOwner?: number;
  /**
   * Bytes of stored results (and errors) one owner may keep, measured as the length of their JSON
   * text (default 32 MiB). Past it, the owner's longest-finished tasks are evicted; a single
   * result larger than this is not stored, and its task fails with `TaskResultTooLargeError`.
   */
  maxResultBytesPerOwner?: number;
  /** Suggested polling interval when the tool sets none (default 1000 ms). */
  defaultPollIntervalMs?: number;
  /** How often expired tasks are purged (default 60 s; they are also purged when looked up). */
  sweepIntervalMs?: number;
  /**
   * How often pending progress is written to the store, in one batch (latest update per task).
   * Stored progress is at most this stale, which is what a crash can lose; the final progress is
   * always stored before the terminal status. Default: the store's `progressFlushMs` (0 for
   * `MemoryTaskStore`: after the current turn of the event loop; 250 ms for `SqliteTaskStore`).
   * At most 1000.
   */
  progressFlushMs?: number;
  /**
   * How often a store shared with other processes is read for what they changed (default 100
   * ms): a wait for a task running elsewhere (`awaitTask`, `tasks/result`) and a cancel of a task
   * running here that was served elsewhere are noticed within about this long. With `events`,
   * those arrive as events and the store is read 10 times less often, as a fallback.
   */
  storePollIntervalMs?: number;
  /** Where store failures and throwing listeners are reported (default: the server's `logger`). */
  logger?: DiagnosticLogger;
}

const HOUR = 3_600_000;

/** The task runtime's limits, with every default applied and checked. */
export interface TaskLimits {
  readonly defaultTtlMs: number;
  readonly maxTtlMs: number;
  readonly allowUnlimitedTtl: boolean;
  readonly maxTasksPerOwner: number;
  readonly maxResultBytesPerOwner: number;
  readonly defaultPollIntervalMs: number;
  readonly sweepIntervalMs: number;
  readonly progressFlushMs: number;
  readonly storePollIntervalMs: number;
}

/** The most `progressFlushMs` may be: a crash loses at most this much progress. */
export const MAX_PROGRESS_FLUSH_MS = 1000;

/**
 * The limits `options` ask for, defaults filled in.
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for a limit that is not a number > 0, or a
 * default TTL above the maximum: bad options fail when the server is created, not on the first task.
 */
export function taskLimits(options: TaskRuntimeOptions): TaskLimits {
  const maxTtlMs = options.maxTtlMs ?? 24 * HOUR;
  const limits: TaskLimits = {
    maxTtlMs,
    defaultTtlMs: options.defaultTtlMs ?? Math.min(HOUR, maxTtlMs),
    allowUnlimitedTtl: options.allowUnlimitedTtl ?? false,
    maxTasksPerOwner: options.maxTasksPerOwner ?? 1000,
    maxResultBytesPerOwner: options.maxResultBytesPerOwner ?? 32 * 1024 * 1024,
    defaultPollIntervalMs: options.defaultPollIntervalMs ?? 1000,
    sweepIntervalMs: options.sweepIntervalMs ?? 60_000,
    progressFlushMs: options.progressFlushMs ?? options.store?.progressFlushMs ?? 0,
    storePollIntervalMs: options.storePollIntervalMs ?? 100,
  };
  const flush = limits.progressFlushMs;
  if (!Number.isFinite(flush) || flush < 0 || flush > MAX_PROGRESS_FLUSH_MS) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `Task option progressFlushMs must be a number from 0 to ${MAX_PROGRESS_FLUSH_MS}, got ${flush}.`,
    );
  }
  for (const [key, value] of Object.entries(limits)) {
    if (typeof value === "boolean" || key === "progressFlushMs") continue;
    if (!Number.isFinite(value) || value <= 0) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `Task option ${key} must be a number > 0, got ${value}.`,
      );
    }
  }
  if (limits.defaultTtlMs > limits.maxTtlMs) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `Task option defaultTtlMs (${limits.defaultTtlMs}) must not exceed maxTtlMs (${limits.maxTtlMs}).`,
    );
  }
  return Object.freeze(limits);
}

/**
 * The TTL a new task gets: the caller's, else the tool's, else the default; capped to `maxTtlMs`
 * (`null`, unlimited, only with `allowUnlimitedTtl`).
 * @throws {InvalidParamsError} (`invalid-ttl`) for a TTL that is not a number of milliseconds > 0.
 */
export function resolveTtl(
  limits: TaskLimits,
  requested: number | null | undefined,
  toolTtl: number | null | undefined,
): number | null {
  const ttl = requested !== undefined ? requested : toolTtl !== undefined ? toolTtl : limits.defaultTtlMs;
  if (ttl === null) return limits.allowUnlimitedTtl ? null : limits.maxTtlMs;
  if (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl <= 0) {
    throw new InvalidParamsError(
      `Task ttl must be a number of milliseconds > 0, got ${String(ttl)}.`,
      "invalid-ttl",
    );
  }
  return Math.min(Math.round(ttl), limits.maxTtlMs);
}

/**
 * The page size a `tasks/list` asks for (default 50).
 * @throws {InvalidParamsError} (`invalid-page-size`) unless it is an integer from 1 to 1000.
 */
export function pageLimit(pageSize: number | undefined): number {
  const limit = pageSize ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new InvalidParamsError(
      `pageSize must be an integer from 1 to 1000, got ${String(pageSize)}.`,
      "invalid-page-size",
    );
  }
  return limit;
}

/**
 * The record of a task `request` starts now: a new id, `working`, its TTL resolved against `limits`.
 * @throws {InvalidParamsError} (`invalid-ttl`) as {@link resolveTtl}.
 */
export function newTaskRecord(limits: TaskLimits, request: StartTaskRequest): NewTaskRecord {
  const ttl = resolveTtl(limits, request.ttl, request.toolTtl);
  const now = Date.now();
  const timestamp = isoAt(now);
  return {
    taskId: randomUUID(),
    owner: request.owner,
    toolName: request.toolName,
    status: "working",
    createdAt: timestamp,
    lastUpdatedAt: timestamp,
    ttl,
    expiresAt: ttl === null ? null : now + ttl,
    pollInterval: request.pollInterval ?? limits.defaultPollIntervalMs,
  };
}

/** What one owner may keep, as the store enforces it: the limits' per-owner task count and result bytes. */
export function ownerQuota(limits: TaskLimits): OwnerQuota {
  return { maxTasks: limits.maxTasksPerOwner, maxResultBytes: limits.maxResultBytesPerOwner };
}
