import { FastestMcpError } from "../errors.js";

/** Options of {@link SqliteTaskStore}. */
export interface SqliteTaskStoreOptions {
  /** The database file (created if missing), or `":memory:"` for a private in-memory database. */
  path: string;
  /** How long a write waits for another process's write lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
  /**
   * How long a process sharing the file may go without a heartbeat before the others take it for
   * dead and fail its unfinished tasks (default 15 s). A process that exited on this host is
   * noticed at once, whatever this is.
   */
  leaseMs?: number;
  /**
   * The runtime's default `progressFlushMs` with this store (default 250 ms): how stale stored
   * progress may be, traded against writes (each flush writes one row per task that progressed).
   */
  progressFlushMs?: number;
  /** Caps the file's size: writes past it fail with `FMCP_ERR_STORE_WRITE_FAILED`, as on a full disk. */
  maxSizeBytes?: number;
}

/** {@link SqliteTaskStoreOptions} with the defaults filled in. */
export interface ResolvedStoreOptions {
  path: string;
  busyTimeoutMs: number;
  leaseMs: number;
  progressFlushMs: number;
  maxSizeBytes: number | undefined;
}

/**
 * The options, defaults applied and checked before anything opens.
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for an empty path or a number out of range.
 */
export function storeOptions(options: SqliteTaskStoreOptions): ResolvedStoreOptions {
  if (typeof options?.path !== "string" || options.path.length === 0) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      'SqliteTaskStore needs a path: a file name, or ":memory:".',
    );
  }
  const resolved: ResolvedStoreOptions = {
    path: options.path,
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    leaseMs: options.leaseMs ?? 15_000,
    progressFlushMs: options.progressFlushMs ?? 250,
    maxSizeBytes: options.maxSizeBytes,
  };
  const checks: Array<[string, number | undefined, number, number]> = [
    ["busyTimeoutMs", resolved.busyTimeoutMs, 0, Number.MAX_SAFE_INTEGER],
    ["leaseMs", resolved.leaseMs, 30, Number.MAX_SAFE_INTEGER],
    ["progressFlushMs", resolved.progressFlushMs, 0, 1000],
    ["maxSizeBytes", resolved.maxSizeBytes ?? 1, 1, Number.MAX_SAFE_INTEGER],
  ];
  for (const [name, value, min, max] of checks) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `SqliteTaskStore option ${name} must be a number from ${min} to ${max}, got ${String(value)}.`,
      );
    }
  }
  return resolved;
}
