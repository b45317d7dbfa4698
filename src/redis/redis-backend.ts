import type { RedisTaskStoreOptions } from "./redis-options.js";
import { RedisSessions, type RedisSessionsOptions } from "./redis-sessions.js";
import { RedisTaskEvents, type RedisTaskEventsOptions } from "./redis-task-events.js";
import { RedisTaskStore } from "./redis-task-store.js";

/** Options of {@link redisBackend}. */
export interface RedisBackendOptions {
  /** Where Redis is: a `redis://` or `rediss://` URL. */
  url: string;
  /** What every key starts with (default `"fastestmcp:"`): instances with the same prefix share state. */
  prefix?: string;
  /** Options of the task store beyond `url` and `prefix` (`progressFlushMs`, `redisOptions`, …). */
  tasks?: Omit<RedisTaskStoreOptions, "url" | "client" | "prefix">;
  /** Options of the task event stream beyond `url` and `prefix` (`maxLen`, `blockMs`, `redisOptions`, …). */
  events?: Omit<RedisTaskEventsOptions, "url" | "prefix">;
  /**
   * Options of the shared sessions beyond `url` and `prefix` (`maxReplayEvents`,
   * `maxReplayBytes`, `redisOptions`, …), or `false` to keep each 2025-11-25 session in the
   * instance that opened it (clients then need sticky sessions). See docs/scale-out.md.
   */
  sessions?: Omit<RedisSessionsOptions, "url" | "prefix"> | false;
}

/**
 * The state of a server on Redis, for the `backend` server option (a `Backend`): its task store,
 * a {@link RedisTaskStore}, its task event bus, a {@link RedisTaskEvents} (one Redis Stream), and
 * its HTTP sessions, {@link RedisSessions}. Instances given the same `url` and `prefix` share
 * their tasks and sessions and see each other's task events.
 * The server closes it on `server.close()`.
 */
export class RedisBackend {
  readonly name = "redis";
  readonly taskStore: RedisTaskStore;
  readonly events: RedisTaskEvents;
  /** Undefined with `sessions: false`. */
  readonly sessions: RedisSessions | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: RedisBackendOptions) {
    this.taskStore = new RedisTaskStore({ ...options.tasks, url: options.url, prefix: options.prefix });
    const where = { url: options.url, prefix: options.prefix };
    try {
      this.events = new RedisTaskEvents({ ...options.events, ...where });
    } catch (error) {
      // The store connected already: a bad events option must not leave its connection open.
      void this.taskStore.close();
      throw error;
    }
    try {
      this.sessions =
        options.sessions === false ? undefined : new RedisSessions({ ...options.sessions, ...where });
    } catch (error) {
      void this.events.close().then(() => this.taskStore.close());
      throw error;
    }
  }

  /**
   * Closes the sessions' connections, the event bus (after sending what it holds) and the store.
   * Later calls return the same promise.
   */
  close(): Promise<void> {
    this.#closed ??= Promise.all([this.sessions?.close(), this.events.close()]).then(() =>
      this.taskStore.close(),
    );
    return this.#closed;
  }
}

/**
 * A Redis backend for `FastestMCP.server(name, { backend })`.
 *
 * ```ts
 * import { redisBackend } from "fastestmcp/redis";
 * const server = FastestMCP.server("jobs", { backend: redisBackend({ url: "redis://127.0.0.1:6379" }) });
 * ```
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for bad options, `FMCP_ERR_STORE_DRIVER_MISSING`
 * without ioredis. An unreachable Redis fails the task calls (`FMCP_ERR_STORE_UNREACHABLE`), not this.
 */
export function redisBackend(options: RedisBackendOptions): RedisBackend {
  return new RedisBackend(options);
}
