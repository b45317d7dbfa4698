import type { Command } from "../args.js";
import { EXIT, UsageError } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { loadServer } from "../load-server.js";

type WorkerCommand = Extract<Command, { name: "worker" }>;

/**
 * `fastestmcp worker <file>`: runs the jobs of the job queue of the module's server (its backend's
 * `queue`, docs/queue.md) in this process, without a transport, until Ctrl-C (SIGINT), then
 * closes it gracefully (running jobs get the queue's `closeTimeoutMs` to end) and exits 130.
 */
export async function worker(command: WorkerCommand, io: CliIo): Promise<number> {
  const server = await loadServer(command.file, io.cwd);
  if (server.runWorker === undefined) {
    throw new UsageError("worker: the module's fastestmcp version has no job queue (runWorker).");
  }
  try {
    const options = command.concurrency === undefined ? {} : { concurrency: command.concurrency };
    await server.runWorker(options);
    io.stderr.write("FastestMCP worker is taking jobs.\n");
    await new Promise<void>((resolve) => {
      if (io.interrupt.aborted) resolve();
      io.interrupt.addEventListener("abort", () => resolve(), { once: true });
    });
    io.stderr.write("Stopping: waiting for the running jobs.\n");
    return EXIT.interrupted;
  } finally {
    await server.close();
  }
}
