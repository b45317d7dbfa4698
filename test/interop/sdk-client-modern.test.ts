/**
 * Interop: the official MCP TypeScript SDK's v2 client (`@modelcontextprotocol/client`) speaking
 * MCP 2026-07-28 (stateless, per-request `_meta`) to a FastestMCP server over real Streamable HTTP,
 * pinned to that revision and in `auto` mode (which must pick it). The same server keeps serving
 * 2025-11-25 sessions: the v1 client's interop tests (sdk-client.test.ts) run against the same code.
 */
import { join } from "node:path";
import {
  Client,
  type Progress,
  StreamableHTTPClientTransport,
  type VersionNegotiationMode,
} from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP, type HttpServerHandle } from "../../src/fastestmcp.js";

const MODERN = "2026-07-28";

const running: { server: FastestMCP; handle: HttpServerHandle; clients: Client[] }[] = [];

afterEach(async () => {
  for (const { server, handle, clients } of running.splice(0)) {
    await Promise.all(clients.map((client) => client.close()));
    await handle.close();
    await server.close();
  }
});

function modernServer(): FastestMCP {
  return FastestMCP.server("interop-modern", { version: "3.0.0", progressIntervalMs: 0 })
    .addTool("echo", ({ text }) => String(text), {
      description: "Echoes its text.",
      inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
    })
    .addTool(
      "steps",
      async ({ count }, ctx) => {
        for (let i = 1; i <= (count as number); i++)
          await ctx.reportProgress(i, count as number, `step ${i}`);
        return `did ${count} steps`;
      },
      { inputSchema: { type: "object", properties: { count: { type: "integer" } }, required: ["count"] } },
    )
    .addResource("test://readme", () => "Read me.", { mimeType: "text/plain", description: "A text." })
    .addPrompt("greet", ({ name }) => `Hello ${name}`, {
      arguments: [{ name: "name", required: true }],
      complete: { name: ["Ada", "Alan", "Grace"] },
    });
}

async function connect(mode: VersionNegotiationMode): Promise<Client> {
  const server = modernServer();
  const handle = await server.listen({ port: 0 });
  const client = new Client({ name: "sdk-v2-modern", version: "1.0.0" }, { versionNegotiation: { mode } });
  running.push({ server, handle, clients: [client] });
  await client.connect(new StreamableHTTPClientTransport(new URL(handle.url)));
  return client;
}

function textOf(result: { content?: unknown }): string {
  const [first] = (result.content ?? []) as { type: string; text?: string }[];
  return first?.type === "text" ? (first.text ?? "") : JSON.stringify(result.content);
}

for (const [label, mode] of [
  ["pinned to 2026-07-28", { pin: MODERN }],
  ["in auto mode", "auto"],
] as const) {
  describe(`SDK v2 client ${label}`, () => {
    it("negotiates 2026-07-28 through server/discover", async () => {
      const client = await connect(mode);
      expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
      expect(client.getServerVersion()).toMatchObject({ name: "interop-modern", version: "3.0.0" });
      expect(client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {}, prompts: {} });
    });

    it("lists and calls tools, with every progress update before the result", async () => {
      const client = await connect(mode);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(["echo", "steps"]);
      expect(textOf(await client.callTool({ name: "echo", arguments: { text: "hi" } }))).toBe("hi");
      const received: Progress[] = [];
      const result = await client.callTool(
        { name: "steps", arguments: { count: 3 } },
        { onprogress: (progress) => received.push(progress) },
      );
      expect(textOf(result)).toBe("did 3 steps");
      expect(received).toEqual([1, 2, 3].map((i) => ({ progress: i, total: 3, message: `step ${i}` })));
    });

    it("lists and reads resources", async () => {
      const client = await connect(mode);
      const { resources } = await client.listResources();
      expect(resources).toMatchObject([{ uri: "test://readme", mimeType: "text/plain" }]);
      const { contents } = await client.readResource({ uri: "test://readme" });
      expect(contents).toMatchObject([{ uri: "test://readme", text: "Read me." }]);
    });

    it("lists and gets prompts, and completes their arguments", async () => {
      const client = await connect(mode);
      const { prompts } = await client.listPrompts();
      expect(prompts.map((prompt) => prompt.name)).toEqual(["greet"]);
      const prompt = await client.getPrompt({ name: "greet", arguments: { name: "Ada" } });
      expect(prompt.messages).toMatchObject([{ role: "user", content: { type: "text", text: "Hello Ada" } }]);
      const { completion } = await client.complete({
        ref: { type: "ref/prompt", name: "greet" },
        argument: { name: "name", value: "A" },
      });
      expect(completion.values).toEqual(["Ada", "Alan"]);
    });
  });
}

describe("SDK v2 client over stdio", () => {
  for (const [label, mode] of [
    ["pinned to 2026-07-28", { pin: MODERN }],
    ["in auto mode", "auto"],
  ] as const) {
    // Progress is not checked update by update here: on a stateless stdio connection the server
    // sends no barrier ping (the client takes no requests from it), so the SDK may drop progress
    // it reads in the same chunk as the result (see src/transports/stdio-output.ts).
    it(`${label}: speaks 2026-07-28 for the connection`, { timeout: 30_000 }, async () => {
      const client = new Client(
        { name: "sdk-v2-modern-stdio", version: "1.0.0" },
        { versionNegotiation: { mode } },
      );
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: ["--import", "tsx", "test/interop/stdio-progress-server.ts"],
        cwd: join(import.meta.dirname, "..", ".."),
        stderr: "inherit",
      });
      await client.connect(transport);
      try {
        expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
        const received: Progress[] = [];
        const result = await client.callTool(
          { name: "paced-steps", arguments: { count: 3 } },
          { onprogress: (progress) => received.push(progress) },
        );
        expect(textOf(result)).toBe("did 3 steps");
        expect([[], [1], [1, 2], [1, 2, 3]]).toContainEqual(received.map((p) => p.progress));
      } finally {
        await client.close();
      }
    });
  }
});
