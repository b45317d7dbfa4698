import { FastestMcpError } from "../errors.js";
import type { RedisClient } from "./redis-driver.js";

/** Options of {@link RedisTaskStore}: where Redis is (`url` or `client`) and how keys are named. */
export interface RedisTaskStoreOptions {
  /** A `redis://` (or `rediss://`) URL; the store opens its own connection and closes it on `close()`. */
  url?: string;
  /**
   * An ioredis connection to use instead of `url` (the store never closes it). It must not set
   * ioredis's `keyPrefix`: the store's scripts build keys themselves, from `prefix`.
   */
  client?: RedisClient;
  /**
   * What every key the store writes starts with (default `"fastestmcp:"`), so several apps can
   * share one Redis: stores with the same prefix share their tasks, others never see them.
   */
  prefix?: string;
  /**
   * The runtime's default `progressFlushMs` with this store (default 100 ms): each flush is one
   * pipelined round trip for every task that progressed, so this bounds the round trips a process
   * spends on progress (10 a second) and how stale progress read by another instance may be.
   */
  progressFlushMs?: number;
  /**
   * How long an instance may go without renewing its lease (every `leaseMs / 3`) before the
   * others take it for dead and fail the tasks it was running (default 15 s): a task never stays
   * `working` because its process was killed.
   */
  leaseMs?: number;
  /**
   * How many finished task ids the store keeps for `finishedSince` (default 10,000): a process
   * that polls less often than this many tasks finish could miss a cancel served elsewhere (its
   * handler then runs to the end, and the stored cancel still wins).
   */
  finishedLogSize?: number;
  /**
   * Extra ioredis options for the connection the store opens from `url` (e.g. `tls`,
   * `username`), merged over the store's own: RESP2, `maxRetriesPerRequest: 5` with retries
   * 100 ms apart growing to 1 s (a command fails with `FMCP_ERR_STORE_UNREACHABLE` after about
   * 1.5 s without Redis), `connectTimeout: 5000`.
   */
  redisOptions?: Record<string, unknown>;
}

/** {@link RedisTaskStoreOptions} checked, defaults filled in. */
export interface ResolvedRedisOptions {
  url: string | undefined;
  client: RedisClient | undefined;
  prefix: string;
  progressFlushMs: number;
  leaseMs: number;
  finishedLogSize: number;
  redisOptions: Record<string, unknown>;
}

/** The ioredis options the store's own connection starts from (see `redisOptions`). */
export const CONNECTION_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  // RESP2 on every ioredis version (6 defaults to RESP3): replies keep one shape.
  protocol: 2,
  // Queued commands fail after this many reconnect attempts instead of waiting for Redis forever.
  maxRetriesPerRequest: 5,
  retryStrategy: (times: number) => Math.min(times * 100, 1000),
  connectTimeout: 5000,
  // No command timeout: the store sends no blocking command, and a timed-out write could still run.
});

/**
 * The options, defaults applied and checked before anything connects.
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for a missing or doubled endpoint, an
 * empty prefix, a client with a `keyPrefix`, or a number out of range.
 */
export function redisOptions(options: RedisTaskStoreOptions): ResolvedRedisOptions {
  const invalid = (message: string) => new FastestMcpError("FMCP_ERR_OPTION_INVALID", message);
  if ((options?.url === undefined) === (options?.client === undefined)) {
    throw invalid('RedisTaskStore needs exactly one of url (e.g. "redis://127.0.0.1:6379") or client.');
  }
  if (options.url !== undefined && (typeof options.url !== "string" || !/^rediss?:\/\//.test(options.url))) {
    throw invalid(
      `RedisTaskStore url must start with redis:// or rediss://, got ${JSON.stringify(options.url)}.`,
    );
  }
  if (options.client?.options?.keyPrefix) {
    throw invalid(
      "RedisTaskStore: give the client without ioredis's keyPrefix and set the store's prefix option instead.",
    );
  }
  const prefix = options.prefix ?? "fastestmcp:";
  if (typeof prefix !== "string" || prefix.length === 0) {
    throw invalid("RedisTaskStore prefix must be a non-empty string.");
  }
  const resolved: ResolvedRedisOptions = {
    url: options.url,
    client: options.client,
    prefix,
    progressFlushMs: options.progressFlushMs ?? 100,
    leaseMs: options.leaseMs ?? 15_000,
    finishedLogSize: options.finishedLogSize ?? 10_000,
    redisOptions: { ...CONNECTION_DEFAULTS, ...options.redisOptions },
  };
  const checks: Array<[string, number, number, number]> = [
    ["progressFlushMs", resolved.progressFlushMs, 0, 1000],
    ["leaseMs", resolved.leaseMs, 100, 86_400_000],
    ["finishedLogSize", resolved.finishedLogSize, 1, 10_000_000],
  ];
  for (const [name, value, min, max] of checks) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw invalid(
        `RedisTaskStore option ${name} must be an integer from ${min} to ${max}, got ${String(value)}.`,
      );
    }
  }
  return resolved;
}

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, "$1***@");
}
