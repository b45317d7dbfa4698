import type { NewTaskRecord } from "../../src/tasks/task-store.js";

/** A quota no test reaches. */
export const ROOMY = { maxTasks: 1_000_000, maxResultBytes: Number.MAX_SAFE_INTEGER };

/** A new working record of `owner`, expiring in a minute unless told otherwise (`null`: never). */
export function record(
  taskId: string,
  owner: string,
  expiresAt: number | null = Date.now() + 60_000,
): NewTaskRecord {
  return {
    taskId,
    owner,
    toolName: "tool",
    status: "working",
    createdAt: "2026-01-01T00:00:00.000Z",
    lastUpdatedAt: "2026-01-01T00:00:00.000Z",
    ttl: expiresAt === null ? null : 60_000,
    expiresAt,
  };
}
