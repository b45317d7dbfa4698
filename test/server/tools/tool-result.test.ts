import { describe, expect, it } from "vitest";
import { toCallToolResult, toolErrorResult } from "../../../src/server/tools/tool-result.js";

describe("toCallToolResult", () => {
  it("maps undefined and null to empty content", () => {
    expect(toCallToolResult(undefined)).toEqual({ content: [] });
    expect(toCallToolResult(null)).toEqual({ content: [] });
  });

  it("maps a string to one text block", () => {
    expect(toCallToolResult("hello")).toEqual({ content: [{ type: "text", text: "hello" }] });
  });

  it("maps a plain object to structuredContent plus its JSON as text", () => {
    expect(toCallToolResult({ a: 1 })).toEqual({
      content: [{ type: "text", text: '{"a":1}' }],
      structuredContent: { a: 1 },
    });
  });

  it("maps arrays, numbers, booleans and bigints to JSON text without structuredContent", () => {
    expect(toCallToolResult([1, 2])).toEqual({ content: [{ type: "text", text: "[1,2]" }] });
    expect(toCallToolResult(42)).toEqual({ content: [{ type: "text", text: "42" }] });
    expect(toCallToolResult(false)).toEqual({ content: [{ type: "text", text: "false" }] });
    expect(toCallToolResult(10n)).toEqual({ content: [{ type: "text", text: "10" }] });
  });

  it("passes a CallToolResult through unchanged", () => {
    const result = {
      content: [{ type: "image" as const, data: "AAAA", mimeType: "image/png" }],
      isError: false,
    };
    expect(toCallToolResult(result)).toBe(result);
  });

  it("treats an object whose content is not blocks as plain data", () => {
    expect(toCallToolResult({ content: ["not a block"] })).toMatchObject({
      structuredContent: { content: ["not a block"] },
    });
  });
});

describe("toolErrorResult", () => {
  it("builds an isError result with optional details", () => {
    expect(toolErrorResult("nope")).toEqual({ content: [{ type: "text", text: "nope" }], isError: true });
    expect(toolErrorResult("nope", { why: 1 })).toMatchObject({ structuredContent: { why: 1 } });
  });
});
