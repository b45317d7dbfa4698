import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  isStandardSchema,
  standardToJsonSchema,
  standardValidator,
} from "../../src/schema/standard-schema.js";

describe("Standard Schema support", () => {
  it("recognises zod schemas and nothing else", () => {
    expect(isStandardSchema(z.object({}))).toBe(true);
    expect(isStandardSchema({ type: "object" })).toBe(false);
    expect(isStandardSchema(null)).toBe(false);
  });

  it("returns the parsed value, with defaults applied", async () => {
    const validate = standardValidator(z.object({ n: z.number().default(5) }));
    expect(await validate({})).toEqual({ ok: true, value: { n: 5 } });
  });

  it("supports asynchronous validation", async () => {
    const schema = z.object({
      id: z.string().refine(async (id) => id.startsWith("u-"), "must start with u-"),
    });
    const validate = standardValidator(schema);
    expect(await validate({ id: "x" })).toEqual({
      ok: false,
      issues: [{ path: ["id"], message: "must start with u-" }],
    });
  });

  it("converts path segments given as objects and numbers", async () => {
    const validate = standardValidator({
      "~standard": {
        version: 1,
        vendor: "hand",
        validate: () => ({ issues: [{ message: "bad", path: [{ key: "items" }, 0, Symbol.for("s")] }] }),
      },
    });
    expect(await validate({})).toEqual({
      ok: false,
      issues: [{ path: ["items", 0, "Symbol(s)"], message: "bad" }],
    });
  });

  it("lists input JSON Schema without the default dialect marker", () => {
    const json = standardToJsonSchema(z.object({ a: z.string().describe("an a") }), "input", "s");
    expect(json).toEqual({
      type: "object",
      properties: { a: { type: "string", description: "an a" } },
      required: ["a"],
    });
  });
});
