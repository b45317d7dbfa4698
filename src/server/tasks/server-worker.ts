import { FastestMcpError } from "../../errors.js";
import type { TaskWorker, TaskWorkerOptions } from "../../tasks/task-queue.js";
import type { ServerState } from "../server-state.js";
import type { LocalSession } from "../session/local-session.js";
import { QueuedTaskRunner } from "./queued-task-runner.js";

/** Options of `server.runWorker()`. */
export interface RunWorkerOptions extends TaskWorkerOptions {}

/** A worker running in this process (`server.runWorker()`). */
export interface WorkerHandle {
  /**
   * Stops taking jobs and waits for the running ones to end, up to the queue's `closeTimeoutMs`;
   * those still running then are abandoned: their `ctx.signal` aborts and the queue deals with
   * them as with a killed worker's (docs/queue.md). `server.close()` does this too.
   */
  close(): Promise<void>;
}

/**
 * A server's worker on its backend's job queue: one per server. An instance whose queue `works`
 * (the default) starts it by itself, on the turn after it is created (so the tools registered
 * right after construction are there), unless `runWorker()` started it first.
 */
export class ServerWorker {
  readonly #core: ServerState;
  readonly #session: LocalSession;
  #worker: TaskWorker | undefined;
  #soon: ReturnType<typeof setTimeout> | undefined;

  constructor(core: ServerState, session: LocalSession) {
    this.#core = core;
    this.#session = session;
    if (core.taskRuntime().queue?.works === true) this.#soon = setTimeout(() => this.#start(), 0);
  }

  /**
   * Starts the worker (with `options`), or answers the one running, once it takes jobs.
   * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` without a job queue.
   */
  async run(options?: RunWorkerOptions): Promise<WorkerHandle> {
    if (this.#core.taskRuntime().queue === undefined) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        "runWorker() needs a job queue: give the server backend: redisBackend({ url, queue: {} }) from fastestmcp/redis.",
      );
    }
    const worker = this.#start(options);
    await worker.ready;
    return { close: () => worker.close() };
  }

  /** Closes the worker, if one runs (see {@link WorkerHandle.close}). */
  async close(): Promise<void> {
    clearTimeout(this.#soon);
    await this.#worker?.close();
  }

  #start(options?: RunWorkerOptions): TaskWorker {
    clearTimeout(this.#soon);
    const queue = this.#core.options.backend?.queue ?? this.#core.options.tasks?.queue;
    if (this.#worker === undefined) {
      const worker = (queue as NonNullable<typeof queue>).work(
        new QueuedTaskRunner(this.#core, this.#session),
        options,
      );
      // A worker that cannot start is reported; runWorker() rejects with it.
      worker.ready.catch((error: unknown) =>
        this.#core.logger.error("the job queue's worker did not start", { error }),
      );
      this.#worker = worker;
    }
    return this.#worker;
  }
}
