/**
 * SEP-2243's custom headers from tool parameters: which `x-mcp-header` annotations are valid (the
 * cases the conformance suite's http-invalid-tool-headers lists), and how a header is checked
 * against its argument (spec: basic/transports, "Custom Headers from Tool Parameters").
 */
import { describe, expect, it } from "vitest";
import { headerParamsOf, paramHeaderError } from "../../../src/server/tools/param-headers.js";

const schemaWith = (properties: Record<string, unknown>) => ({ type: "object", properties });

describe("x-mcp-header annotations", () => {
  it("collects the top-level string, integer and boolean parameters that name a header", () => {
    expect(
      headerParamsOf(
        schemaWith({
          region: { type: "string", "x-mcp-header": "Region" },
          count: { type: "integer", "x-mcp-header": "Count" },
          dry: { type: "boolean", "x-mcp-header": "Dry-Run" },
          plain: { type: "string" },
        }),
      ),
    ).toEqual([
      { argument: "region", header: "Region" },
      { argument: "count", header: "Count" },
      { argument: "dry", header: "Dry-Run" },
    ]);
    expect(headerParamsOf(schemaWith({ plain: { type: "string" } }))).toBeUndefined();
    // A nullable header type: null sends no header.
    expect(
      headerParamsOf(schemaWith({ dry: { type: ["boolean", "null"], "x-mcp-header": "Dry-Run" } })),
    ).toEqual([{ argument: "dry", header: "Dry-Run" }]);
    expect(headerParamsOf({ type: "object" })).toBeUndefined();
  });

  it.each([
    ["an empty name", { value: { type: "string", "x-mcp-header": "" } }],
    ["a name with a space", { value: { type: "string", "x-mcp-header": "My Region" } }],
    ["a name with a colon", { value: { type: "string", "x-mcp-header": "Region:Primary" } }],
    ["a non-ASCII name", { value: { type: "string", "x-mcp-header": "Région" } }],
    ["a control character", { value: { type: "string", "x-mcp-header": "Region\t1" } }],
    ["a name that is not a string", { value: { type: "string", "x-mcp-header": 7 } }],
    ["an object parameter", { data: { type: "object", "x-mcp-header": "Data" } }],
    ["an array parameter", { items: { type: "array", "x-mcp-header": "Items" } }],
    ["a null parameter", { nil: { type: "null", "x-mcp-header": "Nil" } }],
    ["a number parameter", { score: { type: "number", "x-mcp-header": "Score" } }],
    ["a nullable number parameter", { score: { type: ["number", "null"], "x-mcp-header": "Score" } }],
    ["a union of two header types", { v: { type: ["string", "integer"], "x-mcp-header": "V" } }],
    [
      "the same name twice",
      { a: { type: "string", "x-mcp-header": "Region" }, b: { type: "string", "x-mcp-header": "Region" } },
    ],
    [
      "names equal but for case",
      { a: { type: "string", "x-mcp-header": "MyField" }, b: { type: "string", "x-mcp-header": "myfield" } },
    ],
  ])("refuses %s", (_case, properties) => {
    expect(headerParamsOf(schemaWith(properties))).toEqual({ invalid: expect.any(String) });
  });
});

describe("checking Mcp-Param headers against the body", () => {
  const params = [
    { argument: "region", header: "Region" },
    { argument: "count", header: "Count" },
  ];
  const headers = (values: Record<string, string>) => (name: string) => values[name.toLowerCase()];

  it("accepts equal values: trimmed, base64-decoded, integers in decimal, absent with absent", () => {
    const ok = (args: Record<string, unknown>, sent: Record<string, string>) =>
      paramHeaderError(params, args, headers(sent));
    expect(
      ok({ region: "eu", count: 3 }, { "mcp-param-region": "  eu ", "mcp-param-count": "3" }),
    ).toBeUndefined();
    expect(
      ok({ region: "Zürich" }, { "mcp-param-region": `=?base64?${btoa("Z\u00c3\u00bcrich")}?=` }),
    ).toBeUndefined();
    expect(ok({ region: "=?base64?SGVsbG8=" }, { "mcp-param-region": "=?base64?SGVsbG8=" })).toBeUndefined();
    expect(ok({ count: null }, {})).toBeUndefined();
  });

  it.each([
    ["a missing header", { region: "eu" }, {}],
    ["a different value", { region: "eu" }, { "mcp-param-region": "us" }],
    ["base64 without its padding", { region: "Hello" }, { "mcp-param-region": "=?base64?SGVsbG8?=" }],
    ["base64 with foreign characters", { region: "Hello" }, { "mcp-param-region": "=?base64?SGVs!!!bG8=?=" }],
    ["a header without its argument", {}, { "mcp-param-region": "eu" }],
  ])("answers -32020 for %s", (_case, args, sent) => {
    const error = paramHeaderError(params, args, headers(sent as Record<string, string>));
    expect(error?.toJSON()).toMatchObject({ code: -32020, data: { header: "Mcp-Param-Region" } });
  });
});
