// The same package through require() (Node >= 20.19 loads ES modules with require).
const assert = require("node:assert/strict");
const { FastestMCP } = require("fastestmcp");
const { Client } = require("fastestmcp/client");
const fetchEntry = require("fastestmcp/fetch");
const nodeEntry = require("fastestmcp/node");
const { serveStdio } = require("fastestmcp/stdio");
const { SqliteTaskStore } = require("fastestmcp/sqlite");
const { redisBackend, RedisTaskStore } = require("fastestmcp/redis");
const { describeTaskStore } = require("fastestmcp/testing");

(async () => {
  const server = FastestMCP.server("packaged-cjs", { progressIntervalMs: 0 }).addTool(
    "track",
    (_args, ctx) => {
      ctx.progress().setTotal(2).increment().setMessage("half");
      return "ok";
    },
  );
  const seen = [];
  assert.equal(await server.callTool("track", {}, { onProgress: (u) => seen.push(u.message) }), "ok");
  assert.deepEqual(seen, ["half"]);
  assert.equal(typeof Client.connect, "function");
  await server.close();
  assert.equal(nodeEntry.FastestMCP, FastestMCP);
  assert.ok(FastestMCP.prototype instanceof fetchEntry.FastestMCP);
  assert.equal(typeof serveStdio, "function");
  assert.equal(typeof SqliteTaskStore, "function");
  assert.equal(typeof RedisTaskStore, "function");
  assert.equal(typeof redisBackend, "function");
  assert.equal(typeof describeTaskStore, "function");
  console.log("require: ok");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
