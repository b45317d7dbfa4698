import type { RequestId } from "../protocol/mcp-types.js";
import type { Logger } from "./logger.js";
import { Progress } from "./progress.js";
import type { ProgressTracker } from "./progress-tracker.js";

/** What the runtime knows about a request when it builds its {@link Context}. */
export interface ContextInit {
  requestId: RequestId;
  serverName: string;
  signal: AbortSignal;
  log: Logger;
  tracker: ProgressTracker;
  sessionId?: string | undefined;
  taskId?: string | undefined;
}

/**
 * Everything a handler gets about the request it serves. One per request; fixed shape; the
 * progress helper is created on first use.
 */
export class Context {
  /** The request's id (JSON-RPC id on the wire, a generated id in-process). */
  readonly requestId: RequestId;
  /** The session this request arrived on, when there is one. */
  readonly sessionId: string | undefined;
  /** The background task running this handler, when it runs as one. */
  readonly taskId: string | undefined;
  /** The server's name. */
  readonly serverName: string;
  /** Aborted when the caller cancels, the tool's timeout expires or the task is cancelled. */
  readonly signal: AbortSignal;
  /** Structured logging: `ctx.log.info("fetched", { rows: 10 })`. */
  readonly log: Logger;
  readonly #tracker: ProgressTracker;
  #progress: Progress | undefined = undefined;

  constructor(init: ContextInit) {
    this.requestId = init.requestId;
    this.sessionId = init.sessionId;
    this.taskId = init.taskId;
    this.serverName = init.serverName;
    this.signal = init.signal;
    this.log = init.log;
    this.#tracker = init.tracker;
  }

  /**
   * Reports progress directly. `total` and `message` keep their previous values when omitted.
   * Rejects with a `ProgressError` (code -32602) when `current` does not increase, is not a
   * finite number >= 0, or exceeds the total; nothing is emitted then.
   */
  async reportProgress(current: number, total?: number, message?: string): Promise<void> {
    this.#tracker.report(current, total, message);
  }

  /** The request-local progress helper (the same object on every call). */
  progress(): Progress {
    if (this.#progress === undefined) this.#progress = new Progress(this.#tracker);
    return this.#progress;
  }
}
