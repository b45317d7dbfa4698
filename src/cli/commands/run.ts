import type { Command } from "../args.js";
import { EXIT, UsageError } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { loadServer } from "../load-server.js";

type RunCommand = Extract<Command, { name: "run" }>;

/**
 * `fastestmcp run <file>`: serves the module's server over HTTP (prints the endpoint, serves until
 * Ctrl-C, exits 130) or stdio (until stdin ends, exits 0; stdout is the protocol's, so nothing
 * else is printed there).
 */
export async function run(command: RunCommand, io: CliIo): Promise<number> {
  const server = await loadServer(command.file, io.cwd);
  if (command.transport === "stdio") {
    await server.stdio();
    return EXIT.ok;
  }
  const handle = await server.listen({
    host: command.host ?? "127.0.0.1",
    port: command.port ?? 0,
    ...(command.dashboard === false
      ? {}
      : { dashboard: typeof command.dashboard === "string" ? { path: command.dashboard } : true }),
  });
  try {
    io.stderr.write(`FastestMCP is serving ${handle.url}\n`);
    if (command.dashboard !== false) {
      // A module built on an older fastestmcp serves none: say so rather than print a dead URL.
      if (handle.dashboardUrl === undefined) {
        throw new UsageError("--dashboard: the server's fastestmcp version serves no dashboard.");
      }
      io.stderr.write(`Dashboard: ${handle.dashboardUrl}\n`);
    }
    await new Promise<void>((resolve) => {
      if (io.interrupt.aborted) resolve();
      io.interrupt.addEventListener("abort", () => resolve(), { once: true });
    });
    io.stderr.write("Stopping.\n");
    return EXIT.interrupted;
  } finally {
    await handle.close();
    await server.close();
  }
}
