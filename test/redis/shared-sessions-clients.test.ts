import { Client as SdkClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../../src/client/index.js";
import { FastestMCP } from "../../src/fastestmcp.js";
import type { AuthInfo } from "../../src/protocol/auth-info.js";
import { redisBackend } from "../../src/redis.js";
import { freePort, type RedisServer, startRedisServer } from "./redis-server.js";
import {
  type Cluster,
  initialize,
  type Message,
  post,
  request,
  roundRobin,
  startCluster,
} from "./shared-sessions-harness.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

let cluster: Cluster | undefined;
let prefixes = 0;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe("clients whose every request reaches the next of three instances", () => {
  it("FastestMCP's Client lists, calls with progress, sets the log level and closes", async () => {
    cluster = await startCluster(redis.url, `clients-${++prefixes}:`);
    const { fetch, sentTo } = roundRobin(cluster.urls);
    const logs: string[] = [];
    const client = await Client.connect(cluster.urls[0] as string, {
      fetch,
      protocolVersion: "2025-11-25",
      clientInfo: { name: "round-robin", version: "1" },
      logHandler: (entry) => logs.push(entry.level),
    });
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain("steps");
      const progress: number[] = [];
      const text = await client.callTool(
        "steps",
        { n: 4 },
        { onProgress: (event) => progress.push(event.progress) },
      );
      expect(text).toMatchObject({ content: [{ text: expect.stringMatching(/^done on [ABC]$/) }] });
      expect(progress).toEqual([1, 2, 3, 4]);
      await client.setLogLevel("error");
      await client.callTool("log", {});
      expect(logs).toEqual(["error"]);
    } finally {
      await client.close();
    }
    expect(new Set(sentTo).size).toBe(3);
  });

  it("the official SDK client (v1) lists, calls with progress and closes", async () => {
    cluster = await startCluster(redis.url, `clients-${++prefixes}:`);
    const { fetch, sentTo } = roundRobin(cluster.urls);
    const client = new SdkClient({ name: "sdk-round-robin", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(cluster.urls[0] as string), { fetch }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("steps");
      const progress: number[] = [];
      const result = await client.callTool({ name: "steps", arguments: { n: 3 } }, CallToolResultSchema, {
        onprogress: (event) => progress.push(event.progress),
      });
      expect(result.content).toEqual([{ type: "text", text: expect.stringMatching(/^done on [ABC]$/) }]);
      expect(progress).toEqual([1, 2, 3]);
      for (let i = 0; i < 3; i++) expect((await client.callTool({ name: "whoami" })).isError).not.toBe(true);
    } finally {
      await client.close();
    }
    expect(new Set(sentTo).size).toBe(3);
  });
});

describe("a shared session bound to an identity", () => {
  it("refuses another identity's token on every instance, as an unknown session", async () => {
    const user = (subject: string): AuthInfo => ({ subject, scopes: [], claims: {} });
    cluster = await startCluster(
      redis.url,
      `auth-${++prefixes}:`,
      3,
      {},
      {
        auth: {
          verifyToken: (token) => (token === "x" || token === "y" ? user(token) : undefined),
          resourceMetadata: {
            resource: "http://127.0.0.1/mcp",
            authorizationServers: ["https://as.example"],
          },
        },
      },
    );
    const [a, b, c] = cluster.urls as [string, string, string];
    const id = await initialize(a, {}, { authorization: "Bearer x" });
    for (const url of [b, c, a]) {
      const refused = await post(url, request("tools/list"), id, undefined, { authorization: "Bearer y" });
      expect(refused.status).toBe(404);
      const served = await post(url, request("tools/list"), id, undefined, { authorization: "Bearer x" });
      expect(served.status).toBe(200);
    }
  });
});

describe("shared sessions whose Redis is down", () => {
  // Bounded by ioredis's reconnect attempts (about 1.5 s a command), twice over.
  it("answers 503 session-store-unreachable for a session held elsewhere, and stays up", {
    timeout: 20_000,
  }, async () => {
    const port = await freePort();
    const server = FastestMCP.server("down", {
      logger: { warn() {}, error() {} },
      backend: redisBackend({ url: `redis://127.0.0.1:${port}`, prefix: "down:" }),
    }).addTool("whoami", () => "down");
    const handle = await server.listen({ port: 0 });
    try {
      const looked = await post(handle.url, request("tools/list"), "held-elsewhere");
      expect(looked.status).toBe(503);
      expect(((await looked.json()) as Message).error.data.reason).toBe("session-store-unreachable");
      const opened = await post(handle.url, {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      });
      expect(opened.status).toBe(503);
      expect(server.sessions.size).toBe(0);
      // Still serving: the in-process API, and a stateless request, need no session.
      expect(await server.callTool("whoami")).toBe("down");
    } finally {
      await handle.close();
      await server.close();
    }
  });
});
