/**
 * A FastestMCP server on stdio: `node --import tsx examples/stdio-server.ts`.
 *
 * stdout carries protocol messages only, one JSON-RPC message per line. Anything for people goes
 * to stderr. The process exits when stdin ends (the client closed it) or on SIGINT / SIGTERM.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { FastestMCP } from "../src/index.js";
import { serveStdio } from "../src/transports/stdio.js";

const server = FastestMCP.server("stdio-demo", { version: "1.0.0" })
  .addTool("echo", ({ text }) => text, {
    description: "Returns the text it is given.",
    inputSchema: z.object({ text: z.string() }),
  })
  .addTool(
    "count",
    async ({ to }, ctx) => {
      const progress = ctx.progress().setTotal(to);
      for (let n = 1; n <= to; n++) {
        await sleep(60, undefined, { signal: ctx.signal }); // the "work"; longer than the progress interval
        progress.increment().setMessage(`Counted to ${n}`);
        ctx.log.info(`counted ${n}`, { n });
      }
      return { counted: to };
    },
    {
      description: "Counts to `to`, one step every 60 ms, reporting progress on the way.",
      inputSchema: z.object({ to: z.number().int().min(1).max(100).default(3) }),
    },
  );

const transport = await serveStdio(server);
process.stderr.write("stdio-demo: serving MCP on stdin/stdout\n");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void transport.close());
}

await transport.closed;
await server.close();
process.stderr.write("stdio-demo: stopped\n");
