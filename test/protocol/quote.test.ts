import { describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/fastestmcp.js";
import { quote } from "../../src/protocol/quote.js";
import { openSession } from "../server/session/session-harness.js";

describe("quoting a client's value in an error message", () => {
  it("keeps short values whole and cuts long ones, saying how long they were", () => {
    expect(quote("abc")).toBe('"abc"');
    expect(quote(42)).toBe("42");
    expect(quote(undefined)).toBe("undefined");
    const long = quote("x".repeat(1_000_000));
    expect(long.length).toBeLessThan(150);
    expect(long).toContain("(1000002 characters)");
  });

  it("does not echo a megabyte-long task id, cursor or name back in error messages", async () => {
    const { init, request } = openSession(FastestMCP.server("q").addTool("t", () => 1, { task: true }));
    await init();
    const huge = "y".repeat(1_000_000);
    for (const [method, params] of [
      ["tasks/get", { taskId: huge }],
      ["tasks/list", { cursor: huge }],
      ["tools/call", { name: ["a"], arguments: {} }],
      ["resources/read", { uri: huge }],
    ] as const) {
      const response = await request(method, params);
      expect(response.error?.message.length, method).toBeLessThan(400);
    }
  });
});
