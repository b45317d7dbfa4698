/**
 * Interop: the official MCP TypeScript SDK's v2 client (`@modelcontextprotocol/client`) speaking
 * MCP 2026-07-28 (stateless, per-request `_meta`) to a FastestMCP server over real Streamable HTTP,
 * pinned to that revision and in `auto` mode (which must pick it), including its multi round-trip
 * driver answering our `input_required` results with its registered handlers. The same server keeps serving
 * 2025-11-25 sessions: the v1 client's interop tests (sdk-client.test.ts) run against the same code.
 */
import { join } from "node:path";
import {
  Client,
  type ClientCapabilities,
  type Progress,
  StreamableHTTPClientTransport,
  type VersionNegotiationMode,
} from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP, type HttpServerHandle } from "../../src/fastestmcp.js";
import { createDeferred } from "../../src/util/deferred.js";

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
    .addTool("interview", async (_args, ctx) => {
      // The same ctx calls as on a 2025 session: here they become input_required rounds.
      const [name, roots] = await Promise.all([
        ctx.elicit<{ name: string }>("Name?", { type: "object", properties: { name: { type: "string" } } }),
        ctx.listRoots(),
      ]);
      const reply = await ctx.sample(`Greet ${name.content?.name}`, { maxTokens: 10 });
      const text = reply.content.type === "text" ? reply.content.text : "";
      return `${text} (${roots.map((root) => root.uri).join(", ")})`;
    })
    .addTool("route", ({ region }) => `routed to ${String(region)}`, {
      description: "Routes on its region (SEP-2243: mirrored in Mcp-Param-Region).",
      inputSchema: {
        type: "object",
        properties: { region: { type: "string", "x-mcp-header": "Region" } },
        required: ["region"],
      },
    })
    .addResource("test://readme", () => "Read me.", { mimeType: "text/plain", description: "A text." })
    .addPrompt("greet", ({ name }) => `Hello ${name}`, {
      arguments: [{ name: "name", required: true }],
      complete: { name: ["Ada", "Alan", "Grace"] },
    });
}

async function connect(
  mode: VersionNegotiationMode,
  capabilities?: ClientCapabilities,
  setup?: (client: Client) => void,
): Promise<Client> {
  const server = modernServer();
  const handle = await server.listen({ port: 0 });
  const client = new Client(
    { name: "sdk-v2-modern", version: "1.0.0" },
    { versionNegotiation: { mode }, ...(capabilities === undefined ? {} : { capabilities }) },
  );
  setup?.(client);
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

    it("listens: list changes and resource updates reach its notification handlers, and close ends the stream", async () => {
      const server = modernServer();
      const handle = await server.listen({ port: 0 });
      const client = new Client(
        { name: "sdk-v2-listen", version: "1.0.0" },
        { versionNegotiation: { mode } },
      );
      running.push({ server, handle, clients: [client] });
      await client.connect(new StreamableHTTPClientTransport(new URL(handle.url)));
      const toolsChanged = createDeferred<void>();
      const updated = createDeferred<string>();
      client.setNotificationHandler("notifications/tools/list_changed", () => toolsChanged.resolve());
      client.setNotificationHandler("notifications/resources/updated", (n) => updated.resolve(n.params.uri));
      const subscription = await client.listen({
        toolsListChanged: true,
        resourceSubscriptions: ["test://readme"],
      });
      expect(subscription.honoredFilter).toEqual({
        toolsListChanged: true,
        resourceSubscriptions: ["test://readme"],
      });
      server.addTool("later", () => "later");
      await toolsChanged.promise;
      server.notifyResourceUpdated("test://readme");
      expect(await updated.promise).toBe("test://readme");
      await subscription.close();
      expect(await subscription.closed).toBe("local");
    });

    it("lists and calls tools, with every progress update before the result", async () => {
      const client = await connect(mode);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(["echo", "steps", "interview", "route"]);
      expect(textOf(await client.callTool({ name: "echo", arguments: { text: "hi" } }))).toBe("hi");
      const received: Progress[] = [];
      const result = await client.callTool(
        { name: "steps", arguments: { count: 3 } },
        { onprogress: (progress) => received.push(progress) },
      );
      expect(textOf(result)).toBe("did 3 steps");
      expect(received).toEqual([1, 2, 3].map((i) => ({ progress: i, total: 3, message: `step ${i}` })));
    });

    it("mirrors x-mcp-header arguments in Mcp-Param headers that our server checks (plain and base64)", async () => {
      const client = await connect(mode);
      await client.listTools();
      for (const region of ["eu-west", "Zürich", " padded "]) {
        const result = await client.callTool({ name: "route", arguments: { region } });
        expect(textOf(result), region).toBe(`routed to ${region}`);
      }
    });

    it("answers a tool's elicitation, roots and sampling through input_required rounds", async () => {
      const asked: string[] = [];
      const client = await connect(mode, { elicitation: { form: {} }, sampling: {}, roots: {} }, (c) => {
        c.setRequestHandler("elicitation/create", async (request) => {
          asked.push(request.method);
          return { action: "accept", content: { name: "Ada" } };
        });
        c.setRequestHandler("roots/list", async (request) => {
          asked.push(request.method);
          return { roots: [{ uri: "file:///home/ada", name: "home" }] };
        });
        c.setRequestHandler("sampling/createMessage", async (request) => {
          asked.push(request.method);
          const content = request.params.messages[0]?.content;
          const prompt = !Array.isArray(content) && content?.type === "text" ? content.text : "";
          return { role: "assistant", model: "test", content: { type: "text", text: `${prompt}!` } };
        });
      });
      const result = await client.callTool({ name: "interview", arguments: {} });
      expect(textOf(result)).toBe("Greet Ada! (file:///home/ada)");
      // Two rounds: the parallel elicitation and roots, then the sampling.
      expect(asked.sort()).toEqual(["elicitation/create", "roots/list", "sampling/createMessage"]);
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
    // can send no barrier ping (the client takes no requests from it); a response that follows
    // progress waits a short gap instead, so an idle SDK client reads the progress first, but a
    // busy one may still read both in one chunk and drop the progress (docs/stdio.md).
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
