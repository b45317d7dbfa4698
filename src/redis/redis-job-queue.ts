import {
  type TaskJob,
  type TaskJobRunner,
  type TaskQueue,
  type TaskWorker,
  type TaskWorkerOptions,
  ToolUnknownHereError,
} from "../tasks/task-queue.js";
import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import { type BullJob, type BullMq, type BullQueue, type BullWorker, loadBullMq } from "./bullmq-driver.js";
import { loadRedisDriver, type RedisClient } from "./redis-driver.js";
import { CONNECTION_DEFAULTS } from "./redis-options.js";
import { queueOptions, type RedisJobQueueOptions, type ResolvedQueueOptions } from "./redis-queue-options.js";

/** What the queue needs of the task store: a queued task is the queue's, not its creator's. */
export interface QueueStoreHost {
  /** Takes the task off the lease of the instance that created it (see RedisTaskStore.handOver). */
  handOver(taskId: string): Promise<void>;
}

/** Tries of a job whose processor failed before its handler started (about 1 + 2 + 4 + 8 s apart). */
const PROCESSOR_ATTEMPTS = 5;

/** How long a job whose tool a worker does not have waits before another try. */
const HAND_BACK_DELAY_MS = 1000;

/** The `statusMessage` of a task whose job's worker stopped, for a tool that is not idempotent. */
export const NOT_RETRIED_MESSAGE =
  "The worker running it stopped before it finished (killed, crashed or cut off from Redis); " +
  "not retried: the tool is not annotated idempotentHint: true.";

/**
 * A {@link TaskQueue} on BullMQ (an optional peer dependency: `npm install bullmq`) in the same
 * Redis as the task store, under its prefix (`<prefix>queue:<name>:…`). A task's job has the
 * task's id as its id and carries what its handler needs; the record stays in the task store,
 * which is where status, progress and outcome live, as for a task run in-process.
 *
 * Failure rules (docs/queue.md): a worker that stops (killed, crashed, its event loop blocked
 * past `lockDurationMs`) loses its jobs' locks; BullMQ's stalled check (every
 * `stalledIntervalMs`, on any live worker) puts those jobs back. The next worker to take one
 * runs it again only for a tool annotated `idempotentHint: true`, up to `attempts` starts in
 * all; otherwise the task ends `failed` with a `statusMessage` that says why. Jobs are never
 * retried for a handler's own failure (that is the task's outcome) nor after a cancel (the
 * handler stops, the job completes).
 */
export class RedisJobQueue implements TaskQueue {
  readonly works: boolean;
  readonly #options: ResolvedQueueOptions;
  readonly #parts: WorkerParts;
  readonly #host: QueueStoreHost;
  readonly #connection: RedisClient;
  readonly #queue: BullQueue;
  #closed: Promise<void> | undefined;

  /**
   * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for bad options,
   * `FMCP_ERR_STORE_DRIVER_MISSING` without bullmq or ioredis.
   */
  constructor(
    url: string,
    prefix: string,
    host: QueueStoreHost,
    options: RedisJobQueueOptions | true,
    logger: DiagnosticLogger = stderrLogger,
  ) {
    this.#options = queueOptions(options);
    this.works = this.#options.work;
    this.#host = host;
    const bull = loadBullMq();
    const redisOptions = this.#options.redisOptions;
    this.#parts = { bull, url, redisOptions, prefix: `${prefix}queue`, logger, workers: new Set() };
    // Enqueues fail fast when Redis is away, as the store's writes do.
    this.#connection = connect(url, CONNECTION_DEFAULTS, redisOptions);
    this.#queue = new bull.Queue(this.#options.name, {
      connection: this.#connection,
      prefix: this.#parts.prefix,
    });
    this.#queue.on("error", (error) => logger.warn("job queue connection error", { error }));
  }

  async enqueue(job: TaskJob): Promise<void> {
    await this.#queue.add(job.toolName, job, {
      jobId: job.taskId,
      // The task record keeps the outcome: the job is only the way there.
      removeOnComplete: true,
      removeOnFail: true,
      // Only a failure before the handler starts throws (the store unreachable): safe to retry
      // for any tool. The handler's own failures are its task's outcome, never a job failure.
      attempts: PROCESSOR_ATTEMPTS,
      backoff: { type: "exponential", delay: 1000 },
    });
    // From now on the queue answers for the task: its creator's lease no longer does.
    await this.#host.handOver(job.taskId);
  }

  work(runner: TaskJobRunner, options: TaskWorkerOptions = {}): TaskWorker {
    const concurrency = options.concurrency ?? this.#options.concurrency;
    const worker = new RedisQueueWorker(this.#parts, runner, { ...this.#options, concurrency });
    this.#parts.workers.add(worker);
    return worker;
  }

  /** Closes the workers still open (see {@link TaskWorker.close}), then the queue and its connection. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await Promise.all([...this.#parts.workers].map((worker) => worker.close()));
      await this.#queue.close().catch(() => undefined);
      await this.#connection.quit().catch(() => this.#connection.disconnect());
    })();
    return this.#closed;
  }
}

/** What a worker needs of its queue. */
interface WorkerParts {
  readonly bull: BullMq;
  readonly url: string;
  readonly redisOptions: Record<string, unknown>;
  /** BullMQ's prefix: its keys are `<prefix>:<name>:…`. */
  readonly prefix: string;
  readonly logger: DiagnosticLogger;
  /** The queue's open workers (a worker leaves once closed). */
  readonly workers: Set<TaskWorker>;
}

/** A connection of the queue's own (its owner closes it). */
function connect(
  url: string,
  defaults: Readonly<Record<string, unknown>>,
  extra: Record<string, unknown>,
): RedisClient {
  const client = new (loadRedisDriver())(url, { ...defaults, ...extra });
  // Errors surface through the commands; without a listener ioredis prints each one.
  client.on("error", () => undefined);
  return client;
}

/** A job being run by a worker: what it needs to give it back when the worker closes. */
interface ActiveJob {
  readonly job: BullJob;
  readonly token: string | undefined;
  abandoned: boolean;
}

/** One BullMQ worker of a {@link RedisJobQueue}, running each job it takes with the runner. */
class RedisQueueWorker implements TaskWorker {
  readonly ready: Promise<void>;
  readonly #parts: WorkerParts;
  readonly #runner: TaskJobRunner;
  readonly #options: ResolvedQueueOptions;
  readonly #connection: RedisClient;
  readonly #worker: BullWorker;
  readonly #active = new Map<string, ActiveJob>();
  #closing: Promise<void> | undefined;

  constructor(parts: WorkerParts, runner: TaskJobRunner, options: ResolvedQueueOptions) {
    this.#parts = parts;
    this.#runner = runner;
    this.#options = options;
    const { bull, prefix, logger } = parts;
    // BullMQ's blocking reads need a connection that retries for as long as Redis is away.
    const blocking = { ...CONNECTION_DEFAULTS, maxRetriesPerRequest: null };
    this.#connection = connect(parts.url, blocking, parts.redisOptions);
    this.#worker = new bull.Worker(options.name, (job, token) => this.#process(job, token), {
      connection: this.#connection,
      prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      // Past this BullMQ would fail the job itself, leaving its task working: our count comes first.
      maxStalledCount: options.attempts + 1,
      autorun: true,
    });
    this.#worker.on("error", (error) => logger.warn("job queue worker error", { error }));
    // A job BullMQ failed itself (a processor that threw, a stall past maxStalledCount): its task fails.
    this.#worker.on("failed", (job, error) => {
      // A failure BullMQ retries is not the end of the task (an UnrecoverableError, e.g. a stall
      // past maxStalledCount, is).
      if (job === undefined) return;
      const final =
        error.name === "UnrecoverableError" || (job.attemptsMade ?? 0) >= (job.opts?.attempts ?? 1);
      if (!final) return;
      const why = `The job queue gave up on it: ${error.message}`;
      this.#runner.interrupted(job.data as TaskJob, why).catch(() => undefined);
    });
    this.ready = this.#worker.waitUntilReady().then(() => undefined);
  }

  /** Runs one job, unless the stall rules say its task ends here (see RedisJobQueue). */
  async #process(job: BullJob, token: string | undefined): Promise<void> {
    const data = job.data as TaskJob;
    const stalls = job.stalledCounter ?? 0;
    if (stalls > 0 && !data.idempotent) return this.#runner.interrupted(data, NOT_RETRIED_MESSAGE);
    if (stalls >= this.#options.attempts) {
      const why = `The workers running it stopped ${stalls} times before it finished; its ${this.#options.attempts} attempts are used up.`;
      return this.#runner.interrupted(data, why);
    }
    const active: ActiveJob = { job, token, abandoned: false };
    this.#active.set(data.taskId, active);
    try {
      await this.#runner.run(data);
    } catch (error) {
      if (!(error instanceof ToolUnknownHereError)) throw error;
      this.#parts.logger.warn(error.message, { taskId: data.taskId });
      await job.moveToDelayed(Date.now() + HAND_BACK_DELAY_MS, token);
      throw new this.#parts.bull.DelayedError();
    } finally {
      this.#active.delete(data.taskId);
    }
    if (active.abandoned) await this.#giveBack(active, data);
  }

  /** A job this worker stopped waiting for (it is closing): back to the queue, or its task fails. */
  async #giveBack(active: ActiveJob, data: TaskJob): Promise<void> {
    if (!data.idempotent) {
      const why =
        "The worker running it shut down before it finished; not retried: the tool is not annotated idempotentHint: true.";
      return this.#runner.interrupted(data, why);
    }
    await active.job.moveToWait(active.token);
    throw new this.#parts.bull.WaitingError();
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // BullMQ's close stops taking jobs and waits for the running ones; past the timeout they are
    // abandoned, which ends their processing (and so the wait).
    const closed = this.#worker.close();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#options.closeTimeoutMs);
    });
    await Promise.race([closed.catch(() => undefined), timedOut]);
    clearTimeout(timer);
    for (const [taskId, active] of this.#active) {
      active.abandoned = true;
      this.#runner.abandon(taskId);
    }
    await closed.catch(() => undefined);
    await this.#connection.quit().catch(() => this.#connection.disconnect());
    this.#parts.workers.delete(this);
  }
}
