import { isObject } from "../protocol/is-object.js";
import { PROGRESS_META_KEY } from "../protocol/revisions/tasks-extension.js";

/** A task's stored numeric progress, as a FastestMCP server reports it on `tasks/get`. */
export interface RemoteTaskProgress {
  current: number;
  total?: number;
  message?: string;
  /** When the server accepted the update (ISO 8601). */
  reportedAt?: string;
}

/**
 * The stored numeric progress a `tasks/get` answer carries under the vendor `_meta` key
 * `dev.fastestmcp/progress` (FastestMCP servers add it on both protocol revisions; MCP tasks
 * themselves carry only `statusMessage`). `undefined` when the answer has none: another server, or
 * a task that has not reported progress yet. Malformed values are ignored, never thrown.
 */
export function taskProgressOf(task: object): RemoteTaskProgress | undefined {
  const meta = (task as { _meta?: unknown })._meta;
  if (!isObject(meta)) return undefined;
  const progress = meta[PROGRESS_META_KEY];
  if (!isObject(progress) || typeof progress.current !== "number" || !Number.isFinite(progress.current)) {
    return undefined;
  }
  const view: RemoteTaskProgress = { current: progress.current };
  if (typeof progress.total === "number" && Number.isFinite(progress.total)) view.total = progress.total;
  if (typeof progress.message === "string") view.message = progress.message;
  if (typeof progress.reportedAt === "string") view.reportedAt = progress.reportedAt;
  return view;
}
