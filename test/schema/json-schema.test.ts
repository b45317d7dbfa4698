import { describe, expect, it } from "vitest";
import { JsonSchemaCompiler } from "../../src/schema/json-schema.js";

describe("JsonSchemaCompiler", () => {
  const compiler = new JsonSchemaCompiler();

  it("reports every failing field with its path", () => {
    const validate = compiler.compile(
      {
        type: "object",
        properties: {
          user: { type: "object", properties: { age: { type: "integer", minimum: 0 } }, required: ["name"] },
        },
        additionalProperties: false,
      },
      "test schema",
    );
    expect(validate({ user: { age: -1 }, extra: true })).toEqual({
      ok: false,
      issues: [
        { path: ["extra"], message: "is not an allowed property" },
        { path: ["user", "name"], message: "is required" },
        { path: ["user", "age"], message: "must be >= 0" },
      ],
    });
  });

  it("checks formats", () => {
    const validate = compiler.compile(
      { type: "object", properties: { email: { type: "string", format: "email" } } },
      "s",
    );
    expect(validate({ email: "a@b.co" })).toMatchObject({ ok: true });
    expect(validate({ email: "nope" })).toMatchObject({ ok: false });
  });

  it("compiles draft-07 schemas that declare their dialect", () => {
    const validate = compiler.compile(
      {
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        properties: { n: { type: "number" } },
      },
      "s",
    );
    expect(validate({ n: "x" })).toMatchObject({ ok: false });
  });

  it("compiles two tools' schemas that share an $id", () => {
    const first = compiler.compile(
      { $id: "https://example.com/args", type: "object", required: ["a"] },
      "first",
    );
    const second = compiler.compile(
      { $id: "https://example.com/args", type: "object", required: ["b"] },
      "second",
    );
    expect(first({ a: 1 })).toMatchObject({ ok: true });
    expect(second({ a: 1 })).toMatchObject({ ok: false, issues: [{ path: ["b"] }] });
  });
});
