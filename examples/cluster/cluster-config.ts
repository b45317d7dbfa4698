/**
 * Where one process of the cluster example finds Redis and what it calls itself: command-line
 * flags first, then environment variables (what compose.yaml sets), then defaults for a laptop.
 * server.ts and worker.ts read it.
 */
import { parseArgs } from "node:util";

export interface ClusterConfig {
  /** Names this process in its log lines and in tool results (`--name`, `INSTANCE`; default `pid-<pid>`). */
  instance: string;
  /** Where Redis is (`--redis`, `REDIS_URL`; default `redis://127.0.0.1:6379`). */
  redisUrl: string;
  /** What every key starts with (`--prefix`, `REDIS_PREFIX`; default `cluster:`): same prefix, same cluster. */
  prefix: string;
  /** Interface to bind (`--host`, `HOST`; default `127.0.0.1`; `0.0.0.0` in a container). */
  host: string;
  /** Port of the MCP endpoint (`--port`, `PORT`; default 4100). */
  port: number;
  /**
   * How long an instance may miss its Redis heartbeats before the others fail its tasks
   * (`--lease-ms`, `LEASE_MS`; default: the store's 15 s). Shorter notices a `kill -9` sooner.
   */
  leaseMs: number | undefined;
  /**
   * `Host` names the endpoint answers, instead of the loopback names on its port (`--allowed-hosts`,
   * `ALLOWED_HOSTS`, comma-separated): the names a load balancer forwards, e.g. `localhost` behind nginx.
   */
  allowedHosts: string[] | undefined;
  /**
   * Background tasks as jobs on a BullMQ queue in the same Redis (`--queue`, `QUEUE=1`): any
   * instance or worker.ts runs them, a killed worker's `idempotentHint` tasks are retried and the
   * others fail (docs/queue.md). Off: a task runs on the instance that accepted it.
   */
  queue: boolean;
  /** Whether this instance runs jobs too (`--no-work`, `WORK=0`: only worker.ts processes do). */
  work: boolean;
  /**
   * The queue's job lock and stalled check in ms (`--lock-ms`/`LOCK_MS`, `--stalled-ms`/`STALLED_MS`;
   * default BullMQ tuned by fastestmcp: 15 s and 5 s, a killed worker noticed within 25 s).
   */
  lockMs: number | undefined;
  stalledMs: number | undefined;
}

function flag(value: boolean | undefined, env: string | undefined, fallback: boolean): boolean {
  if (value !== undefined) return value;
  if (env === undefined || env === "") return fallback;
  return env !== "0" && env.toLowerCase() !== "false";
}

function optionalNumber(value: string | undefined): number | undefined {
  return value === undefined || value === "" ? undefined : Number(value);
}

/** Reads the flags of `argv` (without node and the script) over the variables of `env`. */
export function readClusterConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ClusterConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      name: { type: "string" },
      redis: { type: "string" },
      prefix: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      "lease-ms": { type: "string" },
      "allowed-hosts": { type: "string" },
      queue: { type: "boolean" },
      work: { type: "boolean" },
      "no-work": { type: "boolean" },
      "lock-ms": { type: "string" },
      "stalled-ms": { type: "string" },
    },
  });
  const port = Number(values.port ?? env.PORT ?? 4100);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`bad port: ${String(port)}`);
  const lease = values["lease-ms"] ?? env.LEASE_MS;
  const hosts = values["allowed-hosts"] ?? env.ALLOWED_HOSTS;
  return {
    instance: values.name ?? env.INSTANCE ?? `pid-${process.pid}`,
    redisUrl: values.redis ?? env.REDIS_URL ?? "redis://127.0.0.1:6379",
    prefix: values.prefix ?? env.REDIS_PREFIX ?? "cluster:",
    host: values.host ?? env.HOST ?? "127.0.0.1",
    port,
    leaseMs: lease === undefined || lease === "" ? undefined : Number(lease),
    allowedHosts:
      hosts === undefined || hosts === ""
        ? undefined
        : hosts
            .split(",")
            .map((host) => host.trim())
            .filter((host) => host !== ""),
    queue: flag(values.queue, env.QUEUE, false),
    work: values["no-work"] === true ? false : flag(values.work, env.WORK, true),
    lockMs: optionalNumber(values["lock-ms"] ?? env.LOCK_MS),
    stalledMs: optionalNumber(values["stalled-ms"] ?? env.STALLED_MS),
  };
}
