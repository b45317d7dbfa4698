/**
 * A real cluster for tests: one redis-server (test/redis/redis-server.ts: free port, no
 * persistence files) and instances of examples/cluster/server.ts as separate processes on free
 * ports, all on one key prefix. Its {@link Cluster.fetch} is a load balancer without sticky
 * sessions: each HTTP request goes to the next live instance, in turn, so a client given it
 * (`Client.connect(cluster.url, { fetch: cluster.fetch })`) spreads its requests over all of them.
 *
 * With the `queue` option the instances leave every job to workers: {@link Cluster.addWorker}
 * starts examples/cluster/worker.ts (it serves no HTTP, so it stays out of the rotation), and
 * {@link Cluster.workerOf} finds the one running a task. 2025-11-25 sessions round-robin through
 * the same `fetch` with `protocolVersion: "2025-11-25"` (shared sessions).
 */
import { type RedisServer, startRedisServer } from "../redis/redis-server.js";
import { ClusterProcess, type ProcessSpec } from "./cluster-process.js";

export const SERVER_SCRIPT = "examples/cluster/server.ts";
export const WORKER_SCRIPT = "examples/cluster/worker.ts";
/** The line worker.ts prints once it takes jobs. */
const WORKING = /working on the queue/;
/** The line server.ts prints once it listens; its group is the endpoint URL. */
const LISTENING = /listening on (http:\/\/\S+)/;
/** How long {@link Cluster.close} lets a process close cleanly before it kills it: a bound on a hang. */
const CLOSE_GRACE_MS = 10_000;

export interface ClusterOptions {
  /** Names of the instances to start (default `["a", "b", "c"]`). */
  instances?: readonly string[];
  /** The instances' `--lease-ms`: how soon a killed instance's tasks fail (default 1,500 ms). */
  leaseMs?: number;
  /**
   * Tasks on the job queue (`--queue`), with these lock and stalled-check times (short, so a
   * killed worker is noticed in a few seconds); the instances then leave every job to the
   * workers ({@link addWorker}). Default: no queue, a task runs where it was accepted.
   */
  queue?: { lockMs: number; stalledMs: number };
}

/** A request the round-robin {@link Cluster.fetch} sent: to which instance, for which MCP method. */
export interface Served {
  instance: string;
  method: string | null;
}

/** An instance: its process and its own endpoint. */
export interface Instance {
  readonly name: string;
  readonly url: string;
  readonly process: ClusterProcess;
}

let clusters = 0;

export class Cluster {
  readonly redis: RedisServer;
  readonly prefix: string;
  readonly leaseMs: number;
  readonly queue: ClusterOptions["queue"];
  /** Every instance started, in order, killed ones included. */
  readonly instances: Instance[] = [];
  /** Other processes (a worker, later): started, watched and stopped with the cluster. */
  readonly processes: ClusterProcess[] = [];
  /** Which instance served each request sent through {@link fetch}, in order. */
  readonly served: Served[] = [];
  #turn = 0;

  private constructor(redis: RedisServer, prefix: string, leaseMs: number, queue: ClusterOptions["queue"]) {
    this.redis = redis;
    this.prefix = prefix;
    this.leaseMs = leaseMs;
    this.queue = queue;
  }

  /** Starts Redis and the instances (all at once); on any failure stops what did start. */
  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const redis = await startRedisServer();
    const cluster = new Cluster(
      redis,
      `cluster-${process.pid}-${++clusters}:`,
      options.leaseMs ?? 1500,
      options.queue,
    );
    try {
      await Promise.all((options.instances ?? ["a", "b", "c"]).map((name) => cluster.add(name)));
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  /** The URL to give a client: any instance's endpoint ({@link fetch} decides where requests go). */
  get url(): string {
    const first = this.instances[0];
    if (first === undefined) throw new Error("the cluster has no instance");
    return first.url;
  }

  /** The instances still running, in the order they were started: the rotation of {@link fetch}. */
  get live(): Instance[] {
    return this.instances.filter((instance) => instance.process.alive);
  }

  /** Starts one more instance on the cluster's Redis and prefix; resolves once it listens. */
  async add(name: string): Promise<Instance> {
    const spec: ProcessSpec = {
      script: SERVER_SCRIPT,
      args: [
        ...["--name", name, "--port", "0", "--redis", this.redis.url],
        ...["--prefix", this.prefix, "--lease-ms", String(this.leaseMs)],
        ...this.#queueArgs(),
        ...(this.queue === undefined ? [] : ["--no-work"]),
      ],
      ready: LISTENING,
    };
    const started = await ClusterProcess.start(name, spec);
    const instance: Instance = { name, url: started.ready[1] as string, process: started.process };
    this.instances.push(instance);
    return instance;
  }

  /** The flags of the queue option, for instances and workers alike. */
  #queueArgs(): string[] {
    if (this.queue === undefined) return [];
    return ["--queue", "--lock-ms", String(this.queue.lockMs), "--stalled-ms", String(this.queue.stalledMs)];
  }

  /** Starts a worker process (examples/cluster/worker.ts) on the cluster's queue; resolves once it works. */
  addWorker(name: string): Promise<ClusterProcess> {
    if (this.queue === undefined) throw new Error("a worker needs a cluster started with the queue option");
    return this.startProcess(name, {
      script: WORKER_SCRIPT,
      args: ["--name", name, "--redis", this.redis.url, "--prefix", this.prefix, ...this.#queueArgs()],
      ready: WORKING,
    });
  }

  /**
   * The live worker that runs task `taskId`: the one that printed `task <id> started` (a job
   * taken again after a kill is started anew, so `except` names the workers to pass over).
   */
  workerOf(taskId: string, except: readonly ClusterProcess[] = []): Promise<ClusterProcess> {
    const started = new RegExp(`task ${taskId} started`);
    const workers = this.processes.filter((member) => member.alive && !except.includes(member));
    return Promise.any(workers.map((worker) => worker.waitFor(started).then(() => worker)));
  }

  /** Starts another kind of process of the cluster (a worker) and keeps it with the cluster. */
  async startProcess(name: string, spec: ProcessSpec): Promise<ClusterProcess> {
    const started = await ClusterProcess.start(name, spec);
    this.processes.push(started.process);
    return started.process;
  }

  /** The live instance called `name`. */
  instance(name: string): Instance {
    const found = this.live.find((instance) => instance.name === name);
    if (found === undefined) throw new Error(`no live instance ${name}`);
    return found;
  }

  /**
   * A `fetch` that sends each request to the next live instance in turn (a round-robin load
   * balancer without sticky sessions), whatever URL the caller named; an instance that was
   * killed leaves the rotation, as a load balancer's health check would take it out.
   */
  readonly fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const live = this.live;
    if (live.length === 0) return Promise.reject(new Error("no live instance"));
    const instance = live[this.#turn++ % live.length] as Instance;
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request?.url ?? String(input));
    url.host = new URL(instance.url).host;
    const headers = new Headers(init?.headers ?? request?.headers);
    this.served.push({ instance: instance.name, method: headers.get("mcp-method") });
    return request === undefined ? fetch(url, init) : fetch(new Request(url, request), init);
  };

  /** The instances that served `method` through {@link fetch}, in order. */
  servedBy(method: string): string[] {
    return this.served.filter((entry) => entry.method === method).map((entry) => entry.instance);
  }

  /**
   * The instance that runs task `taskId`: the one that printed `task <id> started` (waits for
   * that line; rejects if no live instance prints it before all of them exit).
   */
  runnerOf(taskId: string): Promise<Instance> {
    const started = new RegExp(`task ${taskId} started`);
    return Promise.any(this.live.map((instance) => instance.process.waitFor(started).then(() => instance)));
  }

  /**
   * SIGTERM to every process still running (a clean close; SIGKILL for one still there after
   * {@link CLOSE_GRACE_MS}), then stops Redis. Safe to call twice.
   */
  async close(): Promise<void> {
    const all = [...this.processes, ...this.instances.map((instance) => instance.process)];
    await Promise.all(
      all.map(async (member) => {
        const stubborn = setTimeout(() => void member.kill("SIGKILL"), CLOSE_GRACE_MS);
        await member.kill("SIGTERM");
        clearTimeout(stubborn);
      }),
    );
    await this.redis.stop();
  }
}
