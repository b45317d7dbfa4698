/**
 * CPU per request of the same `tools/call` echo on MCP 2025-11-25 (one session) and on 2026-07-28
 * (stateless), in one process, without sockets: each request is one {@link HttpExchange} handed
 * to the Streamable HTTP transport, exactly as the node:http front hands it over, so what is
 * measured is the framework's own work per request (parsing, header checks, session or envelope,
 * dispatch, result shaping, serialisation) and nothing of the kernel's or the load generator's.
 * Batches of the two revisions alternate; the report gives each one's median CPU µs per request
 * (process.cpuUsage, user + system) and the ratio. Issue 16 §5: stateless must not be slower.
 *
 * Run: `npm run bench:revisions` (env ROUNDS, BATCH, CONCURRENCY; `-- --profile` writes a
 * .cpuprofile of a stateless-only run to bench/results/profiles/).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { Session as InspectorSession } from "node:inspector";
import { z } from "zod";
import { FastestMCP } from "../src/index.js";
import type { HttpExchange } from "../src/transports/http/exchange.js";
import type { SseWriter } from "../src/transports/http/sse-writer.js";

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const BATCH = Number(process.env.BATCH ?? 20_000);
/** Requests in flight at once, as autocannon's 32 connections keep them. */
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const PROFILE = process.argv.includes("--profile");
/** Bytes allocated per request (V8's sampling heap profiler, collected objects included), by site. */
const ALLOCATIONS = process.argv.includes("--allocations");
const STATELESS_VERSION = "2026-07-28";
const ENVELOPE = `"_meta":{"io.modelcontextprotocol/protocolVersion":"${STATELESS_VERSION}","io.modelcontextprotocol/clientCapabilities":{}}`;

/** A request as the node:http front presents one: headers by lower-case name, the body as text. */
class BenchExchange implements HttpExchange {
  readonly method = "POST";
  readonly path = "/mcp";
  readonly remoteAddress = "127.0.0.1";
  auth = undefined;
  status = 0;
  body: string | undefined = undefined;
  responseHeaders: Record<string, string> | undefined = undefined;
  readonly #headers: Record<string, string>;
  readonly #body: string;
  readonly #done: () => void;

  constructor(headers: Record<string, string>, body: string, done: () => void) {
    this.#headers = headers;
    this.#body = body;
    this.#done = done;
  }

  header(name: string): string | undefined {
    return this.#headers[name];
  }

  readBody(): Promise<string> {
    return Promise.resolve(this.#body);
  }

  respond(status: number, headers: Record<string, string>, body?: string): void {
    this.status = status;
    this.responseHeaders = headers;
    this.body = body;
    this.#done();
  }

  startSse(): SseWriter {
    throw new Error(`an echo must answer JSON, not SSE (${this.#body})`);
  }

  onClose(_callback: () => void): void {
    // As node:http's front: one listener per request (never called: nobody leaves here).
  }
}

const server = FastestMCP.server("bench-revisions", { version: "1.0.0" }).addTool(
  "echo",
  ({ text }) => text,
  {
    inputSchema: z.object({ text: z.string() }),
  },
);
const transport = server.fetchHandler().transport;

function send(headers: Record<string, string>, body: string): Promise<BenchExchange> {
  return new Promise((resolve) => {
    const exchange: BenchExchange = new BenchExchange(headers, body, () => resolve(exchange));
    void transport.handle(exchange);
  });
}

const BASE = {
  host: "127.0.0.1",
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};
const STATELESS_HEADERS = {
  ...BASE,
  "mcp-protocol-version": STATELESS_VERSION,
  "mcp-method": "tools/call",
  "mcp-name": "echo",
};

const init = await send(
  { ...BASE, "mcp-protocol-version": "2025-11-25" },
  JSON.stringify({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
  }),
);
const sessionId = init.responseHeaders?.["mcp-session-id"];
if (sessionId === undefined) throw new Error(`initialize answered ${init.status} ${init.body}`);
const SESSION_HEADERS = { ...BASE, "mcp-protocol-version": "2025-11-25", "mcp-session-id": sessionId };
await send(SESSION_HEADERS, '{"jsonrpc":"2.0","method":"notifications/initialized"}');

function body(id: number, stateless: boolean): string {
  const meta = stateless ? `,${ENVELOPE}` : "";
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}${meta}}}`;
}

let nextId = 1;

/** Resolves on the next turn of the event loop. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * `count` requests, `CONCURRENCY` in flight; checks every answer; returns CPU µs per request.
 * Each worker sends its next request on a later turn of the event loop, as a connection's next
 * request arrives in a later I/O callback: what the transports defer to the next turn is then
 * deferred as on a server (a few dozen requests per turn, not the whole batch).
 */
async function batch(stateless: boolean, count: number): Promise<number> {
  const headers = stateless ? STATELESS_HEADERS : SESSION_HEADERS;
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < count) {
      await nextTurn();
      sent++;
      const exchange = await send(headers, body(nextId++, stateless));
      if (exchange.status !== 200 || !exchange.body?.includes('"text":"hello"'))
        throw new Error(`echo answered ${exchange.status} ${exchange.body}`);
    }
  };
  const start = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocationNode[];
}

/** Sampled bytes per request of each allocation site (function and file), largest first. */
function allocationSites(root: AllocationNode, requests: number): [string, number][] {
  const sites = new Map<string, number>();
  const visit = (node: AllocationNode): void => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\/(src|node_modules|bench)\//, "$1/");
    const key = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    if (node.selfSize > 0) sites.set(key, (sites.get(key) ?? 0) + node.selfSize / requests);
    for (const child of node.children) visit(child);
  };
  visit(root);
  return [...sites].sort((a, b) => b[1] - a[1]);
}

if (PROFILE || ALLOCATIONS) {
  await batch(false, BATCH);
  await batch(true, BATCH);
  const inspector = new InspectorSession();
  inspector.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      inspector.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  if (ALLOCATIONS) {
    for (const stateless of [false, true]) {
      await post("HeapProfiler.startSampling", {
        samplingInterval: 64,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      await batch(stateless, BATCH);
      const { profile } = (await post("HeapProfiler.stopSampling")) as { profile: { head: AllocationNode } };
      const sites = allocationSites(profile.head, BATCH);
      const total = sites.reduce((sum, [, bytes]) => sum + bytes, 0);
      console.log(
        `\n${stateless ? "2026-07-28 stateless" : "2025-11-25 session"}: ~${total.toFixed(0)} bytes allocated per request (sampled)`,
      );
      for (const [site, bytes] of sites.slice(0, 25)) console.log(`${bytes.toFixed(0).padStart(6)}  ${site}`);
    }
  }
}
if (PROFILE) {
  const inspector = new InspectorSession();
  inspector.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      inspector.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 100 });
  for (const stateless of [true, false]) {
    await post("Profiler.start");
    await batch(stateless, BATCH * 3);
    const { profile } = (await post("Profiler.stop")) as { profile: unknown };
    mkdirSync("bench/results/profiles/revisions-cpu", { recursive: true });
    const file = `bench/results/profiles/revisions-cpu/${stateless ? "2026" : "2025"}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    console.error(`wrote ${file}`);
  }
} else if (!ALLOCATIONS) {
  // Warm-up: both paths optimised before anything is measured.
  for (let i = 0; i < 3; i++) {
    await batch(false, BATCH);
    await batch(true, BATCH);
  }
  const results = { session: [] as number[], stateless: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating order, so neither revision always runs right after a GC of the other's garbage.
    const order = round % 2 === 0 ? [false, true] : [true, false];
    for (const stateless of order)
      (stateless ? results.stateless : results.session).push(await batch(stateless, BATCH));
  }
  const session = median(results.session);
  const stateless = median(results.stateless);
  console.log(`| revision | CPU µs / request (median of ${ROUNDS} × ${BATCH}) | min | max |`);
  console.log("| --- | --- | --- | --- |");
  console.log(
    `| 2025-11-25 session | ${session.toFixed(2)} | ${Math.min(...results.session).toFixed(2)} | ${Math.max(...results.session).toFixed(2)} |`,
  );
  console.log(
    `| 2026-07-28 stateless | ${stateless.toFixed(2)} | ${Math.min(...results.stateless).toFixed(2)} | ${Math.max(...results.stateless).toFixed(2)} |`,
  );
  console.log(`\nstateless / session: ${(stateless / session).toFixed(3)}`);
}
await server.close();
