/**
 * A background task as a job on a queue: what the accepting instance enqueues, and what any
 * worker sharing the queue needs to run it. JSON only: it crosses processes.
 */
export interface TaskJob {
  taskId: string;
  owner: string;
  toolName: string;
  /** The handler's arguments (the call's, or what the tool's `task.prepare` returned). */
  arguments: Record<string, unknown>;
  /**
   * Whether the job may run again when the worker running it stops before it ends (the tool's
   * `annotations.idempotentHint`); otherwise its task is failed then.
   */
  idempotent: boolean;
  /** What the handler's Context reads about the call that started it; the server's business. */
  call: Record<string, unknown>;
}

/** Runs the jobs a worker takes: implemented by the server, with its registered tools. */
export interface TaskJobRunner {
  /**
   * Runs the job's task to its end: resolves once its outcome is stored (or it was cancelled,
   * or it had ended before it started). Rejects with {@link ToolUnknownHereError} when this
   * worker has no such tool (the queue hands the job back for another worker).
   */
  run(job: TaskJob): Promise<void>;
  /**
   * The job will not run (again): its task ends `failed` with `statusMessage` and a
   * `task-interrupted` error, unless it ended already.
   */
  interrupted(job: TaskJob, statusMessage: string): Promise<void>;
  /**
   * The worker is closing and stops waiting for the job: its handler's signal aborts and
   * nothing is stored for it (its task stays `working`), so the queue treats it as it treats a
   * killed worker's job.
   */
  abandon(taskId: string): void;
}

/** Options of a worker: how it takes jobs from the queue. */
export interface TaskWorkerOptions {
  /** Jobs this worker runs at once (default: the queue's `concurrency`). */
  concurrency?: number;
}

/** A worker taking jobs from the queue; `close()` stops it (see {@link TaskQueue.work}). */
export interface TaskWorker {
  /** Resolves once the worker takes jobs (its connections are up); rejects if it cannot start. */
  readonly ready: Promise<void>;
  /**
   * Stops taking jobs and waits for the running ones to end, up to the queue's close timeout;
   * those still running then are abandoned ({@link TaskJobRunner.abandon}). Later calls return
   * the same promise.
   */
  close(): Promise<void>;
}

/**
 * Where background tasks run when a `Backend` supplies one (`redisBackend({ url, queue })` from
 * `fastestmcp/redis`): the accepting instance creates the record and enqueues a job; any instance
 * (or a dedicated worker process) with the same tools runs it. Without it, a task runs in the
 * process that accepted it.
 */
export interface TaskQueue {
  /** Whether an instance given this queue takes jobs too, unless told otherwise (`work` option). */
  readonly works: boolean;
  /**
   * Adds the job; resolves once it is on the queue (the record exists already).
   * @throws when the queue cannot be reached: the caller fails the task.
   */
  enqueue(job: TaskJob): Promise<void>;
  /** Starts taking jobs, running each with `runner`. */
  work(runner: TaskJobRunner, options?: TaskWorkerOptions): TaskWorker;
  /** Releases the queue's connections (after its workers closed); called by the backend's `close()`. */
  close(): Promise<void>;
}

/**
 * Thrown by a {@link TaskJobRunner} for a job whose tool this worker does not have (another
 * version of the server, or a tool registered late): the queue hands the job back.
 */
export class ToolUnknownHereError extends Error {
  override name = "ToolUnknownHereError";
  constructor(toolName: string) {
    super(`Tool "${toolName}" is not registered on this worker; the job goes back to the queue.`);
  }
}
