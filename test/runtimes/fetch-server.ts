/**
 * Run by Bun or Deno, not by Node (test/runtimes/fetch-runtimes.test.ts starts it): serves
 * `fastestmcp/fetch`'s FastestMCP, from the TypeScript source, with the runtime's own HTTP server
 * (`Bun.serve` / `Deno.serve`). Prints one JSON line `{ url, runtime, version, defaultValidator,
 * rootListen }` once it listens, and shuts down (server.close(), then the HTTP server) when its
 * stdin ends.
 *
 * Flags: `--no-node-globals` deletes the Node globals Bun and Deno provide (`process`, `Buffer`,
 * `setImmediate`, …) before the package loads, as on Workers; `--cfworker` validates JSON Schemas
 * with @cfworker/json-schema (the `compileJsonSchema` option) instead of Ajv.
 */
import type { JsonSchemaObject } from "../../src/fetch.js";

type Handler = (request: Request) => Promise<Response>;
interface BunApi {
  version: string;
  argv: string[];
  serve(options: { hostname: string; port: number; fetch: Handler }): { port: number; stop(): Promise<void> };
  stdin: { text(): Promise<string> };
}
interface DenoApi {
  version: { deno: string };
  args: string[];
  serve(
    options: { hostname: string; port: number; onListen(): void },
    handler: Handler,
  ): { addr: { port: number }; shutdown(): Promise<void> };
  stdin: { readable: AsyncIterable<Uint8Array> };
}
const { Bun, Deno } = globalThis as { Bun?: BunApi; Deno?: DenoApi };
if (Bun === undefined && Deno === undefined) throw new Error("Run this with Bun or Deno.");
const runtime = Bun !== undefined ? "bun" : "deno";
const flags = Bun?.argv.slice(2) ?? Deno?.args ?? [];

if (flags.includes("--no-node-globals")) {
  for (const name of ["process", "Buffer", "setImmediate", "clearImmediate", "global"]) {
    delete (globalThis as Record<string, unknown>)[name];
  }
}
// Loaded only now, so the package sees the globals as they are from here on.
const { FastestMCP, isFastestMcpError } = await import("../../src/fetch.js");
const { compileWithCfworker } = await import("./cfworker-compile.js");

const inputSchema: JsonSchemaObject = {
  type: "object",
  properties: { steps: { type: "integer", minimum: 1 } },
  required: ["steps"],
};

/** What the default validator (Ajv) does with a raw JSON Schema here: "ok" or the error's code and message. */
function tryDefaultValidator(): string {
  try {
    FastestMCP.server("probe").addTool("probe", () => "", { inputSchema });
    return "ok";
  } catch (error) {
    return isFastestMcpError(error) ? `${error.code}: ${error.message}` : String(error);
  }
}
const defaultValidator = tryDefaultValidator();

/** What the root entry's `listen()` (node:http, looked up when called) does here: "ok" or the error. */
async function tryRootListen(): Promise<string> {
  // The root entry must load here too, Node globals or not; only its Node fronts need them.
  const root = await import("../../src/index.js");
  const probe = root.FastestMCP.server("listen-probe");
  try {
    const http = await probe.listen();
    const answer = await fetch(http.url, { method: "DELETE" }); // no session: 400, from node:http
    await answer.body?.cancel();
    return answer.status === 400 ? "ok" : `status ${answer.status}`;
  } catch (error) {
    return isFastestMcpError(error) ? `${error.code}: ${error.message}` : String(error);
  } finally {
    await probe.close();
  }
}
const rootListen = await tryRootListen();

const server = FastestMCP.server("runtime-check", {
  version: "1.0.0",
  progressIntervalMs: 0,
  compileJsonSchema: flags.includes("--cfworker") ? compileWithCfworker : undefined,
}).addTool(
  "count",
  async ({ steps }, ctx) => {
    const progress = ctx.progress().setTotal(steps as number);
    for (let step = 1; step <= (steps as number); step++) {
      progress.increment().setMessage(`step ${step}`);
      // Yields to the runtime's event loop, so each step leaves as its own SSE event.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return { counted: steps, runtime };
  },
  { inputSchema },
);
const handler: Handler = (request) => server.fetch(request);

let port: number;
let stopHttp: () => Promise<void>;
let stdinEnded: Promise<unknown>;
if (Bun !== undefined) {
  const http = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
  port = http.port;
  stopHttp = () => http.stop();
  stdinEnded = Bun.stdin.text();
} else {
  const deno = Deno as DenoApi;
  const http = deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  port = http.addr.port;
  stopHttp = () => http.shutdown();
  stdinEnded = (async () => {
    for await (const _ of deno.stdin.readable);
  })();
}
const version = Bun?.version ?? Deno?.version.deno;
console.log(
  JSON.stringify({ url: `http://127.0.0.1:${port}/mcp`, runtime, version, defaultValidator, rootListen }),
);

await stdinEnded;
await server.close();
await stopHttp();
