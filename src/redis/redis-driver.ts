import { loadOptionalPeer, type Require } from "../util/optional-peer.js";

/** A Lua script the client loads once and then runs with EVALSHA (ioredis's `defineCommand`). */
export interface RedisScript {
  numberOfKeys: number;
  lua: string;
}

/** What the store uses of a pipeline (ioredis's `Pipeline`): queued commands, one round trip. */
export interface RedisPipeline {
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

/**
 * What the store uses of a connection: a structural subset of ioredis's `Redis`, so the package's
 * types never name ioredis (an optional peer dependency) and any ioredis 5 or 6 client fits.
 */
export interface RedisClient {
  readonly status: string;
  readonly options?: { keyPrefix?: string | undefined };
  defineCommand(name: string, definition: RedisScript): void;
  pipeline(): RedisPipeline;
  hgetall(key: string): Promise<Record<string, string>>;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: "error", listener: (error: Error) => void): unknown;
  off(event: "error", listener: (error: Error) => void): unknown;
}

/** ioredis's `Redis` constructor. */
export type RedisDriver = new (url: string, options: Record<string, unknown>) => RedisClient;

let cached: RedisDriver | undefined;

/**
 * ioredis, required the moment a store connects and never before: it is an optional peer
 * dependency, so neither `import "fastestmcp"` nor `import "fastestmcp/redis"` needs it installed.
 * `require` comes from node:module then (see src/util/node-builtin.ts); ioredis is CommonJS.
 * @throws {FastestMcpError} `FMCP_ERR_STORE_DRIVER_MISSING` when the package is not installed;
 * `FMCP_ERR_RUNTIME_UNSUPPORTED` without Node's `require`.
 */
export function loadRedisDriver(require?: Require): RedisDriver {
  if (require === undefined && cached !== undefined) return cached;
  const resolved = loadOptionalPeer(
    { name: "ioredis", neededBy: "RedisTaskStore", repair: "npm install ioredis again" },
    require,
  ) as RedisDriver;
  if (require === undefined) cached = resolved;
  return resolved;
}
