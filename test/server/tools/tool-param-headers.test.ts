/**
 * `x-mcp-header` tool parameters (SEP-2243) end to end: checked at addTool, mirrored in
 * `Mcp-Param-*` headers on a 2026-07-28 tools/call over HTTP (-32020 with HTTP 400 otherwise),
 * and of no concern to 2025 sessions or in-process calls.
 */
import { describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { HttpHarness } from "../../transports/http/http-harness.js";
import { post, tasksServer } from "../tasks/task-extension-harness.js";

const ROUTED = {
  type: "object" as const,
  properties: { region: { type: "string", "x-mcp-header": "Region" }, note: { type: "string" } },
  required: ["region"],
};

function routedServer() {
  const { server } = tasksServer();
  return server.addTool("route", ({ region }) => `routed to ${String(region)}`, { inputSchema: ROUTED });
}

describe("x-mcp-header tool parameters", () => {
  it("refuses an invalid annotation at addTool with FMCP_ERR_SCHEMA_INVALID", () => {
    const server = FastestMCP.server("bad-headers");
    expect(() =>
      server.addTool("bad", () => "x", {
        inputSchema: { type: "object", properties: { data: { type: "object", "x-mcp-header": "Data" } } },
      }),
    ).toThrowError(
      expect.objectContaining({ code: "FMCP_ERR_SCHEMA_INVALID", message: expect.stringContaining("data") }),
    );
  });

  it("lists the annotation as given, and serves a 2026-07-28 call whose Mcp-Param header matches (any case, base64 form)", async () => {
    const server = routedServer();
    const tools = (await post(server, "tools/list")).body.result.tools;
    expect(tools.find((tool: { name: string }) => tool.name === "route").inputSchema).toEqual(ROUTED);
    for (const [region, header] of [
      ["eu-west", "eu-west"],
      ["Zürich", `=?base64?${Buffer.from("Zürich").toString("base64")}?=`],
    ]) {
      const answer = await post(
        server,
        "tools/call",
        { name: "route", arguments: { region } },
        { headers: { "MCP-PARAM-REGION": ` ${header} ` } },
      );
      expect(answer.status, region).toBe(200);
      expect(answer.body.result.content[0].text).toBe(`routed to ${region}`);
    }
  });

  it("answers -32020 with HTTP 400 for a missing or different Mcp-Param header, before the tool runs", async () => {
    const server = routedServer();
    for (const headers of [
      {},
      { "mcp-param-region": "us-east" },
      { "mcp-param-region": "=?base64?ZXUtd2VzdA?=" },
    ]) {
      const answer = await post(
        server,
        "tools/call",
        { name: "route", arguments: { region: "eu-west" } },
        { headers },
      );
      expect(answer.status, JSON.stringify(headers)).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: -32020,
        data: { reason: "header-mismatch", header: "Mcp-Param-Region" },
      });
    }
  });

  it("leaves 2025 sessions and in-process calls alone: they carry no Mcp-Param headers", async () => {
    const server = routedServer();
    expect(await server.callTool("route", { region: "eu-west" })).toBe("routed to eu-west");
    const http = await HttpHarness.start(server);
    try {
      await http.initialize();
      const response = await http.post(
        http.request("tools/call", { name: "route", arguments: { region: "eu" } }),
      );
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain("routed to eu");
    } finally {
      await http.handle.close();
    }
  });
});
