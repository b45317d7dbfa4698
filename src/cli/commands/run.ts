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
  const dashboardPath = typeof command.dashboard === "string" ? command.dashboard : "/dashboard";
  // `dashboard` is a ListenOptions field of the dashboard feature (issue 18, item 2); built as a
  // plain object so this compiles whether or not this build has it, and checked at run time below.
  const options: Record<string, unknown> = { host: command.host ?? "127.0.0.1", port: command.port ?? 0 };
  if (command.dashboard !== false) {
    options.dashboard = typeof command.dashboard === "string" ? { path: command.dashboard } : true;
  }
  const handle = await server.listen(options);
  try {
    io.stderr.write(`FastestMCP is serving ${handle.url}\n`);
    if (command.dashboard !== false) {
      const dashboard = new URL(dashboardPath, handle.url).href;
      const response = await fetch(dashboard).catch(() => undefined);
      await response?.body?.cancel();
      if (response?.ok !== true) {
        throw new UsageError("--dashboard: this version of fastestmcp serves no dashboard.");
      }
      io.stderr.write(`Dashboard: ${dashboard}\n`);
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
