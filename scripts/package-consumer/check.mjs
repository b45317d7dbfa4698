// Run inside a fresh project that installed the packed fastestmcp: the README's first steps,
// through the package's public entry points only (import).
import assert from "node:assert/strict";
import { FastestMCP, isProtocolError } from "fastestmcp";
import { Client } from "fastestmcp/client";

const server = FastestMCP.server("packaged", { version: "1.0.0", progressIntervalMs: 0 }).addTool(
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

const local = [];
assert.deepEqual(await server.callTool("track", {}, { onProgress: (u) => local.push(u.current) }), {
  done: 3,
});
assert.deepEqual(local, [1, 2, 3]);

const http = await server.listen();
const client = await Client.connect(http.url, { clientInfo: { name: "package-test", version: "1.0.0" } });
const wire = [];
const result = await client.callTool(
  "track",
  {},
  { onProgress: (e) => wire.push(`${e.progress}/${e.total} ${e.message}`) },
);
assert.deepEqual(result.structuredContent, { done: 3 });
assert.deepEqual(wire, ["1/3 Step 1", "2/3 Step 2", "3/3 Step 3"]);
const missing = await client.callTool("nope", {}).catch((error) => error);
assert.ok(isProtocolError(missing), "an unknown tool is a protocol error");
await client.close();
await server.close();
console.log("import: ok");
