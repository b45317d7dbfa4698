import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { InternalError } from "../../../src/protocol/protocol-error.js";
import { rejection } from "../../rejection.js";

describe("output schemas", () => {
  const server = FastestMCP.server("out")
    .addTool("good", () => ({ total: 3 }), { outputSchema: z.object({ total: z.number() }) })
    .addTool("bad", () => ({ total: "three" }), {
      outputSchema: { type: "object", properties: { total: { type: "number" } }, required: ["total"] },
    })
    .addTool("missing", () => "text only", { outputSchema: { type: "object" } })
    .addTool("failing", () => ({ content: [{ type: "text", text: "no" }], isError: true }), {
      outputSchema: { type: "object", required: ["total"] },
    });

  it("returns results that match the output schema", async () => {
    expect(await server.callToolResult("good")).toMatchObject({ structuredContent: { total: 3 } });
  });

  it("fails with -32603 when structuredContent does not match the output schema", async () => {
    const error = await rejection(server.callToolResult("bad"));
    expect(error).toBeInstanceOf(InternalError);
    expect(error.code).toBe(-32603);
    expect(error.reason).toBe("tool-output-invalid");
    expect(error.message).toContain("total: must be number");
    await expect(server.callTool("bad")).rejects.toBeInstanceOf(InternalError);
  });

  it("fails when a tool with an output schema returns no structuredContent", async () => {
    await expect(server.callToolResult("missing")).rejects.toThrow(/structuredContent is missing/);
  });

  it("does not validate error results against the output schema", async () => {
    expect(await server.callToolResult("failing")).toMatchObject({ isError: true });
  });
});
