import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "./source-files.js";

// Ranks from ../shared/design/ARCHITECTURE.md: a folder imports only from lower ranks (or itself).
const RANK: Record<string, number> = {
  protocol: 0,
  util: 0,
  "errors.ts": 0,
  context: 1,
  schema: 1,
  tasks: 2,
  server: 3,
  transports: 4,
  client: 4,
  "fastestmcp.ts": 5,
  "index.ts": 6,
};
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
          from === "index.ts"
            ? Number.POSITIVE_INFINITY
            : from === "client"
              ? CLIENT_MAX_RANK
              : (fromRank as number) - 1;
        if (toRank > limit) violations.push(`${relative(SRC, file)} (${from}) imports ${spec} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });
});
