/** The file token store a CLI keeps between runs: private, whole after every change, shared by instances. */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileTokenStorage } from "../../../src/client/auth/file-token-storage.js";
import type { StoredTokens } from "../../../src/client/auth/token-storage.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fastestmcp-tokens-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function tokens(n: number): StoredTokens {
  return { issuer: "https://as.example", tokens: { access_token: `at-${n}`, token_type: "Bearer" } };
}

describe("FileTokenStorage", () => {
  it("keeps tokens and registrations for the next instance, in a file only its owner can read", async () => {
    const path = join(dir, "tokens.json");
    const first = new FileTokenStorage(path);
    await first.setTokens("https://mcp.example/mcp", tokens(1));
    await first.setClient("https://as.example", { client_id: "registered" });
    const second = new FileTokenStorage(path);
    expect(await second.getTokens("https://mcp.example/mcp")).toEqual(tokens(1));
    expect(await second.getClient("https://as.example")).toEqual({ client_id: "registered" });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await second.deleteTokens("https://mcp.example/mcp");
    expect(await first.getTokens("https://mcp.example/mcp")).toBeUndefined();
    expect(await first.getClient("https://as.example")).toEqual({ client_id: "registered" });
  });

  it("applies changes made at once one after another: none is lost", async () => {
    const path = join(dir, "tokens.json");
    const storage = new FileTokenStorage(path);
    await Promise.all(
      Array.from({ length: 10 }, (_, n) => storage.setTokens(`https://mcp${n}.example/mcp`, tokens(n))),
    );
    const file = JSON.parse(await readFile(path, "utf8")) as { tokens: Record<string, unknown> };
    expect(Object.keys(file.tokens)).toHaveLength(10);
  });

  it("reads nothing from a file that does not exist yet", async () => {
    const storage = new FileTokenStorage(join(dir, "missing.json"));
    expect(await storage.getTokens("https://mcp.example/mcp")).toBeUndefined();
    expect(await storage.getClient("https://as.example")).toBeUndefined();
  });
});
