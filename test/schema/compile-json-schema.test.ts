import { describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/fastestmcp.js";
import type { JsonSchemaObject } from "../../src/protocol/mcp-types.js";
import type { CompileJsonSchema } from "../../src/schema/json-schema.js";
import { compileWithCfworker } from "../runtimes/cfworker-compile.js";

const inputSchema: JsonSchemaObject = {
  type: "object",
  properties: { steps: { type: "integer", minimum: 1 } },
  required: ["steps"],
};

describe("the compileJsonSchema server option", () => {
  it("compiles every raw JSON Schema in Ajv's place, once per schema", async () => {
    const compiled: Array<Record<string, unknown>> = [];
    const compileJsonSchema: CompileJsonSchema = (schema) => {
      compiled.push(schema);
      return compileWithCfworker(schema);
    };
    const outputSchema: JsonSchemaObject = { type: "object", properties: { n: { type: "integer" } } };
    const server = FastestMCP.server("s", { compileJsonSchema }).addTool(
      "count",
      ({ steps }) => ({ n: steps as number }),
      { inputSchema, outputSchema },
    );
    expect(compiled).toEqual([inputSchema, outputSchema]);
    expect(await server.callTool("count", { steps: 2 })).toEqual({ n: 2 });
    const invalid = await server.callToolResult("count", { steps: 0 });
    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toContain("steps: 0 is less than 1.");
    await server.close();
  });

  it("leaves zod and other Standard Schemas to themselves", async () => {
    const { z } = await import("zod");
    const server = FastestMCP.server("s", {
      compileJsonSchema: () => {
        throw new Error("not for Standard Schemas");
      },
    }).addTool("echo", ({ text }) => text, { inputSchema: z.object({ text: z.string() }) });
    expect(await server.callTool("echo", { text: "hi" })).toBe("hi");
    await server.close();
  });

  it("turns a compiler's exception into FMCP_ERR_SCHEMA_INVALID at addTool", () => {
    const server = FastestMCP.server("s", {
      compileJsonSchema: () => {
        throw new Error("unknown keyword");
      },
    });
    expect(() => server.addTool("t", () => "", { inputSchema })).toThrow(
      expect.objectContaining({
        code: "FMCP_ERR_SCHEMA_INVALID",
        message: 'The input schema of tool "t" is not a valid JSON Schema: unknown keyword',
      }),
    );
  });

  it("refuses a compiler that is not a function, or returns no validator", () => {
    expect(() =>
      FastestMCP.server("s", { compileJsonSchema: "ajv" as unknown as CompileJsonSchema }),
    ).toThrow(expect.objectContaining({ code: "FMCP_ERR_OPTION_INVALID" }));
    const server = FastestMCP.server("s", {
      compileJsonSchema: (() => undefined) as unknown as CompileJsonSchema,
    });
    expect(() => server.addTool("t", () => "", { inputSchema })).toThrow(
      expect.objectContaining({
        code: "FMCP_ERR_OPTION_INVALID",
        message: expect.stringMatching(/returned undefined/),
      }),
    );
  });
});
