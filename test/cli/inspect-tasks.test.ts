import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { FastestMCP, HttpServerHandle } from "../../src/index.js";
import { cli } from "./cli-harness.js";
import { progressServer } from "./fixtures/progress-server.js";

let server: FastestMCP;
let http: HttpServerHandle;
let sdkHttp: Server;
let sdkUrl: string;

/** An official-SDK server over Streamable HTTP: a tool with progress and a log line per step. */
function sdkServer(): McpServer {
  const sdk = new McpServer({ name: "sdk-server", version: "9.9.9" }, { capabilities: { logging: {} } });
  sdk.registerTool(
    "ticks",
    { description: "Ticks with progress", inputSchema: { steps: z.number() } },
    async ({ steps }, extra) => {
      for (let i = 1; i <= steps; i++) {
        // On the call's own stream, so it arrives before the result.
        await extra.sendNotification({
          method: "notifications/message",
          params: { level: "info", data: `tick ${i}` },
        });
        const token = extra._meta?.progressToken;
        if (token !== undefined) {
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken: token, progress: i, total: steps, message: `tick ${i}` },
          });
        }
      }
      return { content: [{ type: "text", text: `ticked ${steps}` }] };
    },
  );
  return sdk;
}

beforeAll(async () => {
  server = progressServer();
  http = await server.listen();
  const transports = new Map<string, StreamableHTTPServerTransport>();
  sdkHttp = createServer(async (req, res) => {
    const id = req.headers["mcp-session-id"];
    let transport = typeof id === "string" ? transports.get(id) : undefined;
    if (transport === undefined) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => {
          transports.set(sessionId, transport as StreamableHTTPServerTransport);
        },
      });
      await sdkServer().connect(transport);
    }
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => sdkHttp.listen(0, "127.0.0.1", resolve));
  sdkUrl = `http://127.0.0.1:${(sdkHttp.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  await http.close();
  await server.close();
  sdkHttp.closeAllConnections();
  await new Promise((resolve) => sdkHttp.close(resolve));
});

describe("fastestmcp inspect", () => {
  it("shows server info, protocol, capabilities, tools with their arguments, resources and prompts", async () => {
    const { code, stdout } = await cli(["inspect", http.url]);
    expect(code).toBe(0);
    expect(stdout).toContain("server: cli-fixture 1.2.3\nprotocol: 2025-11-25\nsession: ");
    expect(stdout).toMatch(/^capabilities: tools, logging, tasks, resources, prompts, completions$/m);
    expect(stdout).toContain("instructions: Counts things.");
    expect(stdout).toContain(
      "  count [task: optional]: Counts to steps with progress and a log line per step.\n" +
        "    steps: integer (required)\n    delayMs: integer = 5\n",
    );
    expect(stdout).toContain("resources (1):\n  memo://notes notes (text/plain)");
    expect(stdout).toContain("prompts (1):\n  greet who");
  });

  it("--output json gives every field with the tools' full input schemas", async () => {
    const { stdout } = await cli(["inspect", http.url, "-o", "json"]);
    const found = JSON.parse(stdout);
    expect(found.serverInfo).toEqual({ name: "cli-fixture", version: "1.2.3" });
    expect(found.tools.find((tool: { name: string }) => tool.name === "types").inputSchema.required).toEqual([
      "n",
    ]);
  });

  it("inspects an official SDK server, listing only what its capabilities announce", async () => {
    const { code, stdout } = await cli(["inspect", sdkUrl]);
    expect(code).toBe(0);
    expect(stdout).toContain("server: sdk-server 9.9.9");
    expect(stdout).toContain("  ticks: Ticks with progress\n    steps: number (required)");
    expect(stdout).toContain("prompts (0):");
  });
});

describe("fastestmcp call against an official SDK server", () => {
  it("shows its progress and logs and prints the result", async () => {
    const { code, stdout, stderr } = await cli(["call", sdkUrl, "ticks", "steps=3"]);
    expect(code).toBe(0);
    expect(stdout).toBe("ticked 3\n");
    expect(stderr).toMatch(/^progress ticks 100% 3\/3 tick 3$/m);
    expect(stderr).toMatch(/^log info tick 3$/m);
  });
});

describe("fastestmcp tasks", () => {
  it("list: a new session owns no tasks of an anonymous server", async () => {
    expect(await cli(["tasks", http.url, "list"])).toEqual({ code: 0, stdout: "no tasks\n", stderr: "" });
    const json = await cli(["tasks", http.url, "list", "--output", "json"]);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it("watch with no tasks ends at once", async () => {
    const { code, stdout } = await cli(["tasks", http.url, "watch"]);
    expect(code).toBe(0);
    expect(stdout).toBe("no tasks\n");
  });

  it("get and cancel of a task the session does not own exit 3 with the server's error", async () => {
    for (const action of ["get", "cancel"]) {
      const { code, stderr } = await cli(["tasks", http.url, action, "no-such-task"]);
      expect(code).toBe(3);
      expect(stderr).toMatch(/^error: .*no-such-task/);
    }
  });

  it("get without an id is a usage error", async () => {
    expect((await cli(["tasks", http.url, "get"])).code).toBe(2);
  });
});
