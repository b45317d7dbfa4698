import type { CallToolResult } from "../protocol/mcp-types.js";
import type { JsonRpcErrorObject } from "../protocol/protocol-error.js";
import type { TaskStatus } from "./task-status.js";

/** The latest accepted progress of a task, as persisted on its record. */
export interface TaskProgress {
  current: number;
  total?: number;
  message?: string;
  /** When the update was accepted (ISO 8601). */
  reportedAt: string;
}

/**
 * A task as a {@link TaskStore} keeps it: plain JSON only, so durable and distributed stores can
 * hold it unchanged.
 */
export interface TaskRecord {
  taskId: string;
  /**
   * Who may see the task: an opaque identity string, compared and never parsed (the session id of
   * an anonymous session, an authenticated identity, or `"local"` in-process).
   */
  owner: string;
  /** The tool the task runs. */
  toolName: string;
  status: TaskStatus;
  statusMessage?: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  lastUpdatedAt: string;
  /** Milliseconds from creation to deletion; `null`: kept until deleted. */
  ttl: number | null;
  /** Epoch milliseconds after which the task is purged; `null` with an unlimited ttl. */
  expiresAt: number | null;
  /** Suggested milliseconds between polls. */
  pollInterval?: number;
  /** Creation order, assigned by the store (unique and increasing across every process sharing it). */
  seq: number;
  progress?: TaskProgress;
  /** The `tools/call` result, once terminal (also for `isError` results). */
  result?: CallToolResult;
  /** The JSON-RPC error the call ended with, once terminal, when it produced no result. */
  error?: JsonRpcErrorObject;
  /**
   * While `input_required` on a stateless revision (the tasks extension): what the task's handler
   * asked the client and waits for, by key (`{ method, params }` each), as `tasks/get` shows it.
   * Kept on the record so any process sharing the store shows it.
   */
  inputRequests?: Record<string, TaskInputRequest>;
}

/** One question a task waits on: what the 2025 revisions sent the client as a request. */
export interface TaskInputRequest {
  method: string;
  params: Record<string, unknown>;
}

/** The fields an update may change. */
export type TaskPatch = Partial<
  Pick<
    TaskRecord,
    "status" | "statusMessage" | "lastUpdatedAt" | "progress" | "result" | "error" | "inputRequests"
  >
>;
