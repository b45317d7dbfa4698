/**
 * `ttlMs` and `cacheScope` (MCP 2026-07-28, SEP-2549) per component and server-wide: list and read
 * results carry them on 2026-07-28 only, lists take their strictest entry's, bad values are refused
 * at registration.
 */
import { afterEach, describe, expect, it } from "vitest";
import { isFastestMcpError } from "../../src/errors.js";
import { FastestMCP } from "../../src/fastestmcp.js";
import type { ServerOptions } from "../../src/server/server-options.js";

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever the answer holds.
async function call(server: FastestMCP, method: string, params: Record<string, unknown> = {}): Promise<any> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2026-07-28",
    "mcp-method": method,
  };
  if (method === "resources/read") headers["mcp-name"] = String(params.uri);
  const _meta = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
  };
  const response = await server.fetch(
    new Request("http://localhost/mcp", {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { ...params, _meta } }),
    }),
  );
  const body = (await response.json()) as { result: Record<string, unknown> };
  return body.result;
}

function make(options: ServerOptions = {}) {
  const server = FastestMCP.server("cache", { version: "1.0.0", ...options });
  servers.push(server);
  return server;
}

const hintsOf = (result: Record<string, unknown>) => ({ ttlMs: result.ttlMs, cacheScope: result.cacheScope });

describe("cache hints on 2026-07-28 results", () => {
  it("defaults to ttlMs 0 and private everywhere", async () => {
    const server = make()
      .addTool("t", () => "t")
      .addResource("test://r", () => "r");
    for (const [method, params] of [
      ["server/discover", {}],
      ["tools/list", {}],
      ["resources/list", {}],
      ["resources/templates/list", {}],
      ["resources/read", { uri: "test://r" }],
    ] as const) {
      expect(hintsOf(await call(server, method, params))).toEqual({ ttlMs: 0, cacheScope: "private" });
    }
  });

  it("takes the server-wide default, and a component's own cache option over it", async () => {
    const server = make({ cache: { ttlMs: 60_000, cacheScope: "public" } })
      .addResource("test://static", () => "s", { cache: { ttlMs: 3_600_000 } })
      .addResource("test://live", () => "l", { cache: { ttlMs: 1_000, cacheScope: "private" } })
      .addResourceTemplate("test://items/{id}", ({ href }) => href, { cache: { ttlMs: 5_000 } })
      .addPrompt("p", () => "p");
    expect(hintsOf(await call(server, "server/discover"))).toEqual({ ttlMs: 60_000, cacheScope: "public" });
    expect(hintsOf(await call(server, "resources/read", { uri: "test://static" }))).toEqual({
      ttlMs: 3_600_000,
      cacheScope: "public",
    });
    expect(hintsOf(await call(server, "resources/read", { uri: "test://live" }))).toEqual({
      ttlMs: 1_000,
      cacheScope: "private",
    });
    expect(hintsOf(await call(server, "resources/read", { uri: "test://items/7" }))).toEqual({
      ttlMs: 5_000,
      cacheScope: "public",
    });
    // A list may be reused only as long and as widely as every entry.
    expect(hintsOf(await call(server, "resources/list"))).toEqual({ ttlMs: 1_000, cacheScope: "private" });
    expect(hintsOf(await call(server, "resources/templates/list"))).toEqual({
      ttlMs: 5_000,
      cacheScope: "public",
    });
    expect(hintsOf(await call(server, "prompts/list"))).toEqual({ ttlMs: 60_000, cacheScope: "public" });
    // An empty list takes the server's default.
    expect(hintsOf(await call(server, "tools/list"))).toEqual({ ttlMs: 60_000, cacheScope: "public" });
    // Registering changes the list's hints.
    server.addTool("quick", () => "q", { cache: { ttlMs: 10 } });
    expect(hintsOf(await call(server, "tools/list"))).toEqual({ ttlMs: 10, cacheScope: "public" });
  });

  it("makes a list that depends on who asks (access rules) private", async () => {
    const server = make({ cache: { ttlMs: 60_000, cacheScope: "public" } })
      .addTool("open", () => "o")
      .addTool("guarded", () => "g", { canAccess: () => true });
    expect(hintsOf(await call(server, "tools/list"))).toEqual({ ttlMs: 60_000, cacheScope: "private" });
  });

  it("sends nothing of it on 2025-11-25 (in-process and legacy results have no such fields)", async () => {
    const server = make({ cache: { ttlMs: 60_000 } }).addResource("test://r", () => "r", {
      cache: { ttlMs: 5 },
    });
    const read = await server.readResource("test://r");
    expect(JSON.parse(JSON.stringify(read))).toEqual({ contents: [{ uri: "test://r", text: "r" }] });
  });

  it("refuses a bad cache option at registration with FMCP_ERR_OPTION_INVALID", () => {
    const server = make();
    const bad: unknown[] = [
      { ttlMs: -1 },
      { ttlMs: 1.5 },
      { ttlMs: "60" },
      { cacheScope: "shared" },
      "public",
      null,
    ];
    for (const cache of bad) {
      for (const register of [
        () => server.addTool("t", () => "t", { cache } as never),
        () => server.addResource("test://x", () => "x", { cache } as never),
        () => server.addResourceTemplate("test://y/{id}", () => "y", { cache } as never),
        () => server.addPrompt("p", () => "p", { cache } as never),
        () => make({ cache } as never),
      ]) {
        let thrown: unknown;
        try {
          register();
        } catch (error) {
          thrown = error;
        }
        expect(isFastestMcpError(thrown) && thrown.code).toBe("FMCP_ERR_OPTION_INVALID");
      }
    }
    expect(server.listTools()).toEqual([]);
  });
});
