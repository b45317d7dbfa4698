import { describe, expect, it } from "vitest";
import { jsonSize } from "../../src/tasks/json-size.js";

describe("jsonSize", () => {
  it("is the length of the JSON text for values without escapes", () => {
    const values: unknown[] = [
      "",
      "hello",
      0,
      -12.5,
      1e21,
      true,
      false,
      null,
      [],
      {},
      [1, "two", null, [3], { four: 4 }],
      { content: [{ type: "text", text: "hi" }], isError: false, structuredContent: { a: [1, 2] } },
      { skipped: undefined, fn: () => 1, kept: 1 },
      [undefined, () => 1, Symbol("s")],
      { when: new Date(0) },
      Number.NaN,
    ];
    for (const value of values)
      expect(jsonSize(value), JSON.stringify(value)).toBe(JSON.stringify(value).length);
  });

  it("costs one step per value, whatever the size of its strings", () => {
    const big = "x".repeat(8 * 1024 * 1024);
    expect(jsonSize({ content: [{ type: "text", text: big }] })).toBe(
      JSON.stringify({ content: [{ type: "text", text: "" }] }).length + big.length,
    );
  });
});
