// Run inside a fresh project that installed the packed fastestmcp: the README's first steps,
// through the package's public entry points only (import).
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { FastestMCP, isProtocolError } from "fastestmcp";
import { Client, FileTokenStorage, MemoryTokenStorage } from "fastestmcp/client";
import { FastestMCP as FetchFastestMCP } from "fastestmcp/fetch";
import { FastestMCP as NodeFastestMCP } from "fastestmcp/node";
import { redisBackend } from "fastestmcp/redis";
import { SqliteTaskStore } from "fastestmcp/sqlite";
import { serveStdio } from "fastestmcp/stdio";
import { describeTaskStore, TASK_STORE_BEHAVIOURS } from "fastestmcp/testing";

/** The README's tool: three steps of progress, then `{ done: 3 }`. */
function track(Server, name) {
  return Server.server(name, { version: "1.0.0", progressIntervalMs: 0 }).addTool(
    "track",
    async (_args, ctx) => {
      const progress = ctx.progress().setTotal(3);
      for (let step = 1; step <= 3; step++) {
        progress.increment().setMessage(`Step ${step}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return { done: progress.current };
    },
  );
}

/** Calls `track` through `client` and checks every progress event and the result. */
async function callTrack(client) {
  const wire = [];
  const result = await client.callTool(
    "track",
    {},
    { onProgress: (e) => wire.push(`${e.progress}/${e.total} ${e.message}`) },
  );
  assert.deepEqual(result.structuredContent, { done: 3 });
  assert.deepEqual(wire, ["1/3 Step 1", "2/3 Step 2", "3/3 Step 3"]);
}

// fastestmcp: in-process, then over HTTP with listen().
const server = track(FastestMCP, "packaged");
const local = [];
assert.deepEqual(await server.callTool("track", {}, { onProgress: (u) => local.push(u.current) }), {
  done: 3,
});
assert.deepEqual(local, [1, 2, 3]);

const http = await server.listen();
// The OAuth token stores: /client exports both, the file one for Node hosts such as a CLI.
assert.equal(typeof new FileTokenStorage("tokens.json").getTokens, "function");
assert.equal(new MemoryTokenStorage().getTokens("http://x/mcp"), undefined);
const client = await Client.connect(http.url, { clientInfo: { name: "package-test", version: "1.0.0" } });
await callTrack(client);
const missing = await client.callTool("nope", {}).catch((error) => error);
assert.ok(isProtocolError(missing), "an unknown tool is a protocol error");
await client.close();
await server.close();

// fastestmcp/node: the root entry under its Node name.
assert.equal(NodeFastestMCP, FastestMCP);

// fastestmcp/fetch: the web-standard FastestMCP (no Node fronts), called through its fetch().
const web = track(FetchFastestMCP, "packaged-fetch");
assert.equal(typeof web.listen, "undefined");
const viaFetch = await Client.connect("http://localhost/mcp", {
  clientInfo: { name: "package-test", version: "1.0.0" },
  fetch: (input, init) => web.fetch(new Request(input, init)),
});
await callTrack(viaFetch);
await viaFetch.close();
await web.close();

// fastestmcp/stdio: serveStdio on in-memory streams, one line per message.
const stdioServer = track(FetchFastestMCP, "packaged-stdio");
const input = new PassThrough();
const output = new PassThrough();
const transport = await serveStdio(stdioServer, { input, output });
const lines = [];
let buffered = "";
const answered = new Promise((resolve) => {
  output.on("data", (chunk) => {
    buffered += chunk;
    for (let end = buffered.indexOf("\n"); end !== -1; end = buffered.indexOf("\n")) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      lines.push(message);
      // The progress barrier pings before a response that follows progress: answer it.
      if (message.method === "ping")
        input.write(`${JSON.stringify({ jsonrpc: "2.0", id: message.id, result: {} })}\n`);
      if (message.id === 2 && message.method === undefined) resolve();
    }
  });
});
const send = (message) => input.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
send({
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "stdio", version: "1" } },
});
send({ method: "notifications/initialized" });
send({
  id: 2,
  method: "tools/call",
  params: { name: "track", arguments: {}, _meta: { progressToken: "t" } },
});
await answered;
const progress = lines.filter((m) => m.method === "notifications/progress").map((m) => m.params.progress);
assert.deepEqual(progress, [1, 2, 3]);
assert.deepEqual(lines.find((m) => m.id === 2 && m.method === undefined).result.structuredContent, {
  done: 3,
});
input.end();
await transport.closed;
await stdioServer.close();

// fastestmcp/sqlite loads without better-sqlite3 (an optional peer dependency, not installed
// here); opening a store then says what to install.
assert.throws(() => new SqliteTaskStore({ path: ":memory:" }), {
  code: "FMCP_ERR_STORE_DRIVER_MISSING",
  message: /npm install better-sqlite3/,
});

// fastestmcp/redis loads without ioredis (an optional peer dependency, not installed here either);
// a backend then says what to install.
assert.throws(() => redisBackend({ url: "redis://127.0.0.1:6379" }), {
  code: "FMCP_ERR_STORE_DRIVER_MISSING",
  message: /npm install ioredis/,
});

// fastestmcp/testing runs its behaviour table through any runner's describe/it: the default store here.
const { MemoryTaskStore } = await import("fastestmcp");
const behaviours = [];
describeTaskStore("MemoryTaskStore", () => new MemoryTaskStore(), {
  describe: (_name, body) => body(),
  it: (name, body) => behaviours.push([name, body]),
});
assert.equal(behaviours.length, TASK_STORE_BEHAVIOURS.length);
for (const [, body] of behaviours) await body();

console.log("import: ok (fastestmcp, /client, /node, /fetch, /stdio, /sqlite, /redis, /testing)");
