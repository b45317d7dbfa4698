import type { JsonRpcId } from "../protocol/jsonrpc.js";
import type { ProgressToken } from "../protocol/mcp-types.js";

/** Progress as the client hands it to `onProgress` and `progressHandler`. */
export interface ProgressEvent {
  progressToken: ProgressToken;
  progress: number;
  total?: number;
  message?: string;
  /** The request that asked for this progress. */
  requestId?: JsonRpcId;
  /** The task the progress belongs to, once the call became a task. */
  taskId?: string;
}

/** One request waiting for its response. */
export interface PendingRequest {
  readonly method: string;
  resolve(result: Record<string, unknown>): void;
  reject(error: unknown): void;
  /** Restarts the timeout (progress arrived and `resetTimeoutOnProgress` is on). */
  touch(): void;
}

/** What a progress token is routed to. */
export interface ProgressRoute {
  readonly requestId: JsonRpcId;
  taskId?: string;
  readonly onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** The last task progress polled on 2026-07-28 (`tasks/get` repeats it until it changes). */
  lastSeen?: string | undefined;
  /** The task's last status polled on 2026-07-28 (to report each change once). */
  lastStatus?: string | undefined;
}

/**
 * The client's in-flight bookkeeping: pending requests by id and progress routes by token.
 * Tokens are unique per client, so concurrent calls never see each other's progress.
 */
export class PendingRequests {
  readonly #requests = new Map<JsonRpcId, PendingRequest>();
  readonly #routes = new Map<ProgressToken, ProgressRoute>();
  readonly #taskWatchers = new Map<string, Set<() => void>>();
  #nextId = 0;
  #nextToken = 0;

  nextId(): number {
    return ++this.#nextId;
  }

  nextToken(): string {
    return `p${++this.#nextToken}`;
  }

  add(id: JsonRpcId, request: PendingRequest): void {
    this.#requests.set(id, request);
  }

  take(id: JsonRpcId): PendingRequest | undefined {
    const request = this.#requests.get(id);
    this.#requests.delete(id);
    return request;
  }

  get(id: JsonRpcId): PendingRequest | undefined {
    return this.#requests.get(id);
  }

  route(token: ProgressToken, route: ProgressRoute): void {
    this.#routes.set(token, route);
  }

  routeOf(token: ProgressToken): ProgressRoute | undefined {
    return this.#routes.get(token);
  }

  /** The route of a task's token (to end it when the task is terminal). */
  tokenOfTask(taskId: string): ProgressToken | undefined {
    for (const [token, route] of this.#routes) if (route.taskId === taskId) return token;
    return undefined;
  }

  unroute(token: ProgressToken): void {
    this.#routes.delete(token);
  }

  /** Calls `onActivity` whenever the task shows it is alive (progress, a status notification). */
  watchTask(taskId: string, onActivity: () => void): () => void {
    const watchers = this.#taskWatchers.get(taskId) ?? new Set<() => void>();
    this.#taskWatchers.set(taskId, watchers);
    watchers.add(onActivity);
    return () => {
      watchers.delete(onActivity);
      if (watchers.size === 0) this.#taskWatchers.delete(taskId);
    };
  }

  /** The task showed it is alive: tell its watchers (waits restart their idle limit). */
  taskActivity(taskId: string): void {
    const watchers = this.#taskWatchers.get(taskId);
    if (watchers !== undefined) for (const watcher of watchers) watcher();
  }

  /** Rejects everything (the connection is gone). */
  rejectAll(error: unknown): void {
    const requests = [...this.#requests.values()];
    this.#requests.clear();
    this.#routes.clear();
    for (const request of requests) request.reject(error);
  }

  get size(): number {
    return this.#requests.size;
  }
}
