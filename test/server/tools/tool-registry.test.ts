import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FastestMcpError } from "../../../src/errors.js";
import { JsonSchemaCompiler } from "../../../src/schema/json-schema.js";
import { ToolRegistry } from "../../../src/server/tools/tool-registry.js";

const registry = () => new ToolRegistry(new JsonSchemaCompiler());
const noop = () => undefined;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FastestMcpError);
    return (error as FastestMcpError).code;
  }
  return undefined;
}

describe("ToolRegistry", () => {
  it("lists a tool with its description, title, annotations, schemas and task support", () => {
    const tools = registry();
    tools.add("track", noop, {
      title: "Track",
      description: "Tracks things",
      annotations: { readOnlyHint: true },
      inputSchema: z.object({ id: z.string() }),
      outputSchema: { type: "object", properties: { ok: { type: "boolean" } } },
      task: { mode: "required", pollInterval: 500 },
      _meta: { team: "core" },
    });
    expect(tools.list()).toEqual([
      {
        name: "track",
        title: "Track",
        description: "Tracks things",
        annotations: { readOnlyHint: true },
        inputSchema: {
          type: "object",
          properties: { id: { type: "string" } },
          required: ["id"],
        },
        outputSchema: { type: "object", properties: { ok: { type: "boolean" } } },
        execution: { taskSupport: "required" },
        _meta: { team: "core" },
      },
    ]);
    expect(tools.get("track")?.task).toEqual({ pollInterval: 500 });
  });

  it("defaults to an object input schema and no execution field", () => {
    const tools = registry();
    tools.add("plain", noop);
    expect(tools.list()).toEqual([{ name: "plain", inputSchema: { type: "object" } }]);
    expect(tools.get("plain")?.taskSupport).toBe("forbidden");
  });

  it("maps task: true to optional task support", () => {
    const tools = registry();
    tools.add("t", noop, { task: true });
    expect(tools.get("t")?.taskSupport).toBe("optional");
    expect(tools.list()[0]?.execution).toEqual({ taskSupport: "optional" });
  });

  it("caches the list until a tool is added or removed", () => {
    const tools = registry();
    tools.add("a", noop);
    const first = tools.list();
    expect(tools.list()).toBe(first);
    tools.add("b", noop);
    expect(tools.list()).not.toBe(first);
    expect(tools.list().map((t) => t.name)).toEqual(["a", "b"]);
    expect(tools.remove("a")).toBe(true);
    expect(tools.remove("a")).toBe(false);
    expect(tools.list().map((t) => t.name)).toEqual(["b"]);
  });

  it.each(["", "has space", "x".repeat(129), "emoji🙂"])("rejects the tool name %j", (name) => {
    expect(codeOf(() => registry().add(name, noop))).toBe("FMCP_ERR_TOOL_NAME_INVALID");
  });

  it("accepts names with letters, digits, dots, dashes and underscores", () => {
    expect(() => registry().add("a.b-c_D9", noop)).not.toThrow();
  });

  it("rejects a duplicate name", () => {
    const tools = registry();
    tools.add("dup", noop);
    expect(codeOf(() => tools.add("dup", noop))).toBe("FMCP_ERR_TOOL_DUPLICATE");
  });

  it("rejects a handler that is not a function", () => {
    expect(codeOf(() => registry().add("x", "nope" as never))).toBe("FMCP_ERR_TOOL_HANDLER_INVALID");
  });

  it("rejects a non-object or broken JSON Schema at registration", () => {
    expect(codeOf(() => registry().add("x", noop, { inputSchema: { type: "string" } as never }))).toBe(
      "FMCP_ERR_SCHEMA_INVALID",
    );
    expect(
      codeOf(() =>
        registry().add("x", noop, { inputSchema: { type: "object", properties: { a: { type: 5 } } } }),
      ),
    ).toBe("FMCP_ERR_SCHEMA_INVALID");
    expect(codeOf(() => registry().add("x", noop, { inputSchema: z.string() as never }))).toBe(
      "FMCP_ERR_SCHEMA_INVALID",
    );
  });

  it("rejects a Standard Schema that offers no JSON Schema", () => {
    const opaque = { "~standard": { version: 1, vendor: "acme", validate: (value: unknown) => ({ value }) } };
    expect(codeOf(() => registry().add("x", noop, { inputSchema: opaque as never }))).toBe(
      "FMCP_ERR_SCHEMA_UNSUPPORTED",
    );
  });

  it("rejects a timeout that is not a positive number", () => {
    expect(codeOf(() => registry().add("x", noop, { timeout: 0 }))).toBe("FMCP_ERR_OPTION_INVALID");
    expect(codeOf(() => registry().add("x", noop, { timeout: Number.NaN }))).toBe("FMCP_ERR_OPTION_INVALID");
  });
});
