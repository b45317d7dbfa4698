/**
 * A worker of the cluster example: the tools of cluster-server.ts, the same Redis and prefix, and
 * no HTTP: it only runs the background tasks the instances put on the job queue (start the
 * instances with `--queue`, and `--no-work` to leave every job to workers).
 *
 *   node --import tsx examples/cluster/worker.ts --name w1 --queue
 *
 * Its first line says it works (`[w1] working on the queue …`); then one line per task it starts
 * and ends. `kill -9` it mid-task and watch the queue: a `checksum` task (idempotentHint) runs
 * again on another worker, a `report` or `slow` one ends failed with a statusMessage saying why.
 * SIGTERM or Ctrl-C closes it gracefully: running jobs get the queue's closeTimeoutMs to finish.
 */
import { readClusterConfig } from "./cluster-config.js";
import { clusterServer } from "./cluster-server.js";

const config = readClusterConfig(process.argv.slice(2), process.env);
if (!config.queue) {
  console.error("worker.ts runs jobs of the queue: start it (and the instances) with --queue or QUEUE=1.");
  process.exit(2);
}
// A worker process takes jobs through runWorker(), not as an instance would.
const server = clusterServer({ ...config, work: false });
const worker = await server.runWorker();
const redis = new URL(config.redisUrl).host;
console.log(
  `[${config.instance}] working on the queue (pid ${process.pid}, Redis ${redis}, prefix ${config.prefix})`,
);

async function shutDown(signal: string): Promise<void> {
  console.log(
    `[${config.instance}] ${signal}: closing; running jobs get the queue's closeTimeoutMs to finish`,
  );
  await worker.close();
  await server.close();
  process.exit(0);
}
process.once("SIGTERM", () => void shutDown("SIGTERM"));
process.once("SIGINT", () => void shutDown("SIGINT"));
