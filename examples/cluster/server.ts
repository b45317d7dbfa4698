/**
 * One instance of the cluster example: the tools of cluster-server.ts on a Redis backend, served
 * over Streamable HTTP. Start three on one Redis and put a load balancer in front (README.md):
 *
 *   node --import tsx examples/cluster/server.ts --name a --port 4101
 *   node --import tsx examples/cluster/server.ts --name b --port 4102
 *   node --import tsx examples/cluster/server.ts --name c --port 4103
 *
 * Flags or environment (compose.yaml): `--name`/INSTANCE, `--port`/PORT, `--redis`/REDIS_URL,
 * `--prefix`/REDIS_PREFIX, `--host`/HOST, `--lease-ms`/LEASE_MS, `--allowed-hosts`/ALLOWED_HOSTS,
 * and for the job queue `--queue`/QUEUE, `--no-work`/WORK=0, `--lock-ms`/LOCK_MS,
 * `--stalled-ms`/STALLED_MS (README.md, "A worker process").
 * Its first line says where it listens (`[a] listening on http://127.0.0.1:4101/mcp …`); then one
 * line per task it starts and ends. SIGTERM or Ctrl-C closes it: the tasks it still runs are
 * cancelled (a rolling deploy should drain an instance first).
 */
import { readClusterConfig } from "./cluster-config.js";
import { clusterServer } from "./cluster-server.js";

const config = readClusterConfig(process.argv.slice(2), process.env);
const server = clusterServer(config);
const http = await server.listen({
  host: config.host,
  port: config.port,
  ...(config.allowedHosts === undefined ? {} : { allowedHosts: config.allowedHosts }),
});
// The URL's host only: a password in REDIS_URL stays out of the log.
const redis = new URL(config.redisUrl).host;
console.log(
  `[${config.instance}] listening on ${http.url} (pid ${process.pid}, Redis ${redis}, prefix ${config.prefix})`,
);

async function shutDown(signal: string): Promise<void> {
  console.log(`[${config.instance}] ${signal}: closing; the tasks still running here are cancelled`);
  await http.close();
  await server.close();
  process.exit(0);
}
// Once: a second signal while closing finds no handler and ends the process at once.
process.once("SIGTERM", () => void shutDown("SIGTERM"));
process.once("SIGINT", () => void shutDown("SIGINT"));
