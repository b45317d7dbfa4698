import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { Client } from "../../../src/client/client.js";
import { FastestMCP } from "../../../src/fastestmcp.js";
import type { CallToolResult } from "../../../src/protocol/mcp-types.js";
import type { InferToolOutput, ToolReturn } from "../../../src/server/tools/tool-options.js";

// Compile-time tests of tool typing (`npm run typecheck` fails when an inference is wrong or an
// expected error disappears), run as well, so the typed values are the real ones.

const Weather = z.object({ city: z.string(), celsius: z.number(), note: z.string().default("") });

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function weatherServer(): FastestMCP {
  const server = FastestMCP.server("weather").addTool(
    "weather",
    ({ city }) => {
      expectTypeOf(city).toEqualTypeOf<string>();
      return { city, celsius: 21 };
    },
    { inputSchema: z.object({ city: z.string() }), outputSchema: Weather },
  );
  servers.push(server);
  return server;
}

describe("a handler's return type checked against its output schema", () => {
  it("accepts the schema's input type or a CallToolResult carrying it", () => {
    expectTypeOf<InferToolOutput<typeof Weather>>().toEqualTypeOf<{
      city: string;
      celsius: number;
      note?: string | undefined;
    }>();
    expectTypeOf<ToolReturn<typeof Weather>>().toEqualTypeOf<
      InferToolOutput<typeof Weather> | CallToolResult<InferToolOutput<typeof Weather>>
    >();
    expectTypeOf<ToolReturn<{ type: "object" }>>().toEqualTypeOf<unknown>();
    const server = weatherServer()
      .addTool(
        "as-result",
        async () => ({
          content: [{ type: "text" as const, text: "21" }],
          structuredContent: { city: "Oslo", celsius: 21 },
        }),
        { outputSchema: Weather },
      )
      .addTool("failure", () => ({ content: [], isError: true }), { outputSchema: Weather })
      .addTool("json-schema", () => "anything", { outputSchema: { type: "object" } })
      .addTool("no-schema", () => 42);
    expect(server.listTools()).toHaveLength(5);
  });

  it("rejects, at compile time, results the output schema would reject at run time", () => {
    const server = weatherServer();
    // @ts-expect-error: celsius must be a number
    server.addTool("wrong-type", () => ({ city: "Oslo", celsius: "21" }), { outputSchema: Weather });
    // @ts-expect-error: celsius is missing
    server.addTool("missing", async () => ({ city: "Oslo" }), { outputSchema: Weather });
    // @ts-expect-error: a string has no structuredContent
    server.addTool("text", () => "21 degrees", { outputSchema: Weather });
    server.addTool(
      "result",
      // @ts-expect-error: the structuredContent of a whole result is checked too
      () => ({ content: [], structuredContent: { city: 1, celsius: 2 } }),
      { outputSchema: Weather },
    );
  });
});

describe("typed call results", () => {
  it("types callTool<T> and callToolResult<T> in-process", async () => {
    const server = weatherServer();
    const value = await server.callTool<InferToolOutput<typeof Weather>>("weather", { city: "Oslo" });
    expectTypeOf(value.celsius).toEqualTypeOf<number>();
    expect(value).toEqual({ city: "Oslo", celsius: 21 });
    const result = await server.callToolResult<InferToolOutput<typeof Weather>>("weather", { city: "Oslo" });
    expectTypeOf(result.structuredContent).toEqualTypeOf<InferToolOutput<typeof Weather> | undefined>();
    expect(result.structuredContent?.celsius).toBe(21);
    const untyped = await server.callToolResult("weather", { city: "Oslo" });
    expectTypeOf(untyped.structuredContent).toEqualTypeOf<Record<string, unknown> | undefined>();
  });

  it("types the client's callTool<T>, taskResult<T> and RemoteTask<T>", async () => {
    const server = weatherServer().addTool("slow", () => ({ city: "Rome", celsius: 30 }), {
      outputSchema: Weather,
      task: true,
    });
    const handle = await server.listen({ keepAliveMs: 0 });
    const client = await Client.connect(handle.url);
    try {
      const result = await client.callTool<InferToolOutput<typeof Weather>>("weather", { city: "Oslo" });
      expectTypeOf(result.structuredContent).toEqualTypeOf<InferToolOutput<typeof Weather> | undefined>();
      expect(result.structuredContent?.city).toBe("Oslo");
      const task = await client.callTool("slow", {}, { task: true });
      const done = await client.taskResult<InferToolOutput<typeof Weather>>(task.taskId);
      expectTypeOf(done.structuredContent?.celsius).toEqualTypeOf<number | undefined>();
      expect(done.structuredContent?.celsius).toBe(30);
      const typedTask = await client.callTool<InferToolOutput<typeof Weather>>("slow", {}, { task: true });
      const waited = await typedTask.result();
      expectTypeOf(waited.structuredContent).toEqualTypeOf<InferToolOutput<typeof Weather> | undefined>();
      expect(waited.structuredContent).toEqual({ city: "Rome", celsius: 30 });
    } finally {
      await client.close();
      await handle.close();
    }
  });
});
