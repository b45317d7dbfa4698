import { RedisJobQueue } from "./redis-job-queue.js";
import type { RedisTaskStoreOptions } from "./redis-options.js";
import type { RedisJobQueueOptions } from "./redis-queue-options.js";
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
  /**
   * Runs background tasks as jobs on a BullMQ queue in the same Redis (needs `npm install bullmq`):
   * any instance, or a dedicated worker (`server.runWorker()`), with the same tools runs them.
   * `true` for the defaults. See docs/queue.md. Default: off, a task runs where it was accepted.
   */
  queue?: RedisJobQueueOptions | boolean;
}

/**
 * The state of a server on Redis, for the `backend` server option (a `Backend`): its task store,
 * a {@link RedisTaskStore}, its task event bus, a {@link RedisTaskEvents} (one Redis Stream), and
 * its HTTP sessions, {@link RedisSessions}, and with `queue` a {@link RedisJobQueue} tasks run
 * from. Instances given the same `url` and `prefix` share their tasks and sessions and see each
 * other's task events.
 * The server closes it on `server.close()`.
 */
export class RedisBackend {
  readonly name = "redis";
  readonly taskStore: RedisTaskStore;
  readonly events: RedisTaskEvents;
  /** Undefined with `sessions: false`. */
  readonly sessions: RedisSessions | undefined;
  /** The job queue, with the `queue` option. */
  readonly queue: RedisJobQueue | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: RedisBackendOptions) {
    this.taskStore = new RedisTaskStore({ ...options.tasks, url: options.url, prefix: options.prefix });
    const where = { url: options.url, prefix: options.prefix };
    let events: RedisTaskEvents | undefined;
    let sessions: RedisSessions | undefined;
    try {
      events = new RedisTaskEvents({ ...options.events, ...where });
      sessions =
        options.sessions === false ? undefined : new RedisSessions({ ...options.sessions, ...where });
      const { queue } = options;
      this.queue =
        queue === undefined || queue === false
          ? undefined
          : new RedisJobQueue(
              options.url,
              this.taskStore.prefix,
              this.taskStore,
              queue,
              options.events?.logger,
            );
    } catch (error) {
      // The store connected already: a bad events, sessions or queue option must not leave
      // connections open.
      void sessions?.close();
      void events?.close();
      void this.taskStore.close();
      throw error;
    }
    this.events = events;
    this.sessions = sessions;
  }

  /**
   * Closes the job queue (its workers first), the sessions' connections, the event bus (after
   * sending what it holds) and the store. Later calls return the same promise.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.queue?.close();
      await Promise.all([this.sessions?.close(), this.events.close()]);
      await this.taskStore.close();
    })();
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
