/**
 * fastestmcp/redis: server state on Redis, so several instances share it. It needs the optional
 * peer dependency ioredis (`npm install ioredis`), which is loaded only when a store connects, and
 * for the job queue (`queue` option, docs/queue.md) bullmq (`npm install bullmq`).
 *
 * ```ts
 * import { redisBackend } from "fastestmcp/redis";
 * const server = FastestMCP.server("jobs", { backend: redisBackend({ url: "redis://127.0.0.1:6379" }) });
 * ```
 */

export type { RedisBackendOptions } from "./redis/redis-backend.js";
export { RedisBackend, redisBackend } from "./redis/redis-backend.js";
export type { RedisClient } from "./redis/redis-driver.js";
export { RedisJobQueue } from "./redis/redis-job-queue.js";
export type { RedisTaskStoreOptions } from "./redis/redis-options.js";
export type { RedisJobQueueOptions } from "./redis/redis-queue-options.js";
export { QUEUE_DEFAULTS } from "./redis/redis-queue-options.js";
export type { RedisSessionsOptions } from "./redis/redis-sessions.js";
export { RedisSessions } from "./redis/redis-sessions.js";
export type { RedisTaskEventsOptions } from "./redis/redis-task-events.js";
export { RedisTaskEvents } from "./redis/redis-task-events.js";
export { RedisTaskStore } from "./redis/redis-task-store.js";
