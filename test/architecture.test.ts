import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { moduleGraph } from "./module-graph.js";
import { sourceFiles } from "./source-files.js";

// Ranks from ../shared/design/ARCHITECTURE.md: a folder imports only from lower ranks (or itself).
const RANK: Record<string, number> = {
  protocol: 0,
  util: 0,
  "errors.ts": 0,
  context: 1,
  schema: 1,
  tasks: 2,
  auth: 2,
  server: 3,
  // Task stores and their test suite: built on tasks/, never on the server (a Backend is typed structurally).
  sqlite: 3,
  redis: 3,
  testing: 3,
  transports: 4,
  client: 4,
  "fastestmcp-web.ts": 5,
  // The live task dashboard: served by listen() next to the MCP endpoint, over the HTTP exchange.
  dashboard: 5,
  "fastestmcp.ts": 6,
  // The package's entry points (package.json "exports"): they may import anything.
  "index.ts": 7,
  "fetch.ts": 7,
  "node.ts": 7,
  "stdio.ts": 7,
  "sqlite.ts": 7,
  "redis.ts": 7,
  "testing.ts": 7,
  // The `fastestmcp` command: an application on top of the entry points.
  cli: 8,
};
const ENTRY_RANK = 7;
// The client must not pull in server code: it may use ranks 0-1 only.
const CLIENT_MAX_RANK = 1;

const SRC = join(import.meta.dirname, "..", "src");

function layerOf(file: string): string {
  return relative(SRC, file).split("/")[0] as string;
}

describe("architecture", () => {
  it("keeps every import within the same or a lower layer", () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      const fromRank = RANK[from];
      expect(fromRank, `unknown layer ${from} (add it to RANK)`).toBeDefined();
      const imports = readFileSync(file, "utf8").matchAll(/from\s+"(\.[^"]+)"/g);
      for (const [, spec] of imports) {
        const to = layerOf(join(file, "..", spec as string));
        if (to === from) continue;
        const toRank = RANK[to] as number;
        const limit =
          fromRank === ENTRY_RANK
            ? Number.POSITIVE_INFINITY
            : from === "client"
              ? CLIENT_MAX_RANK
              : (fromRank as number) - 1;
        if (toRank > limit) violations.push(`${relative(SRC, file)} (${from}) imports ${spec} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  // The CLI is what a user of the package could write: it reaches the library only through
  // the entry points (the client's, the root's, stdio's), never into their internals.
  it("cli imports the library only through its entry points", () => {
    const entries = new Set(["index.ts", "client/index.ts", "stdio.ts"]);
    const violations: string[] = [];
    for (const file of sourceFiles(join(SRC, "cli"))) {
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/from\s+"(\.[^"]+)"/g)) {
        const target = relative(SRC, join(file, "..", spec as string)).replace(/\.js$/, ".ts");
        if (!target.startsWith("cli/") && !entries.has(target))
          violations.push(`${relative(SRC, file)}: ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  // A runtime without Node (Workers, browsers) cannot load, and its bundler cannot resolve, an
  // `import "node:…"`, even a dynamic one it never runs; Node built-ins are looked up with
  // process.getBuiltinModule when a feature needs them (src/util/node-builtin.ts).
  it.each([
    ["fastestmcp", "index.ts"],
    ["fastestmcp/fetch", "fetch.ts"],
    ["fastestmcp/node", "node.ts"],
    ["fastestmcp/stdio", "stdio.ts"],
    ["fastestmcp/client", "client/index.ts"],
    ["fastestmcp/sqlite", "sqlite.ts"],
    ["fastestmcp/redis", "redis.ts"],
    ["fastestmcp/testing", "testing.ts"],
  ])("%s imports no Node built-in module, transitively", (_name, entry) => {
    const graph = moduleGraph(join(SRC, entry));
    const nodeImports = [...graph].flatMap(([file, facts]) =>
      facts.imports
        .filter((spec) => spec.startsWith("node:"))
        .map((spec) => `${relative(SRC, file)}: ${spec}`),
    );
    expect(nodeImports).toEqual([]);
  });

  it("fastestmcp/fetch reaches no Node API: no Node global outside a globalThis feature check", () => {
    const graph = moduleGraph(join(SRC, "fetch.ts"));
    const files = [...graph.keys()].map((file) => relative(SRC, file));
    // The walk follows the fetch front through the server, and no Node front comes along.
    expect(files).toContain("transports/http/fetch.ts");
    expect(files).toContain("server/fastestmcp-server.ts");
    expect(files.filter((file) => /node|stdio/.test(file) && file !== "util/node-builtin.ts")).toEqual([]);
    const uses = [...graph].flatMap(([file, facts]) =>
      facts.nodeGlobals.map((name) => `${relative(SRC, file)}: ${name}`),
    );
    expect(uses).toEqual([]);
  });
});
