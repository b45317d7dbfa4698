import { expect } from "vitest";
import { callTool, errorOf, resultOf, type Scenario, toolResult } from "../scenario.js";

/** Lifecycle and tools: server/tools and basic/utilities/ping. */
export const toolScenarios: Scenario[] = [
  {
    feature: "lifecycle",
    name: "ping is answered with an empty result",
    spec: {
      page: "basic/utilities/ping",
      section: "Behavior Requirements",
      says: "The receiver **MUST** respond promptly with an empty response",
    },
    async run(wire) {
      expect(resultOf(await wire.request("ping"))).toEqual({});
    },
  },
  {
    feature: "tools",
    name: "initialize declares the tools capability",
    spec: {
      page: "server/tools",
      section: "Capabilities",
      says: "Servers that support tools **MUST** declare the `tools` capability",
    },
    async run(wire) {
      expect(wire.initialized.capabilities).toMatchObject({ tools: {} });
    },
  },
  {
    feature: "tools",
    name: "tools/list gives every tool a name and an object inputSchema",
    spec: {
      page: "server/tools",
      section: "Data Types > Tool",
      says: "`inputSchema`: JSON Schema defining expected parameters … **MUST** be a valid JSON Schema object (not `null`)",
    },
    async run(wire) {
      const { tools } = resultOf(await wire.request("tools/list")) as {
        tools: Array<Record<string, unknown>>;
      };
      expect(tools.map((t) => t.name)).toEqual(
        expect.arrayContaining(["echo", "fail", "weather", "steps", "job", "job-required"]),
      );
      for (const tool of tools) {
        expect(tool.name).toBeTypeOf("string");
        expect(tool.inputSchema).toMatchObject({ type: "object" });
      }
      expect(tools.find((t) => t.name === "echo")).toMatchObject({
        description: "Returns its text.",
        inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
      });
    },
  },
  {
    feature: "tools",
    name: "an unknown tool is a JSON-RPC error -32602",
    spec: {
      page: "server/tools",
      section: "Error Handling",
      says: "Protocol Errors: Standard JSON-RPC errors for issues like: Unknown tools (example: code -32602)",
    },
    async run(wire) {
      const error = errorOf(await callTool(wire, "no-such-tool").response);
      expect(error.code).toBe(-32602);
      expect(error.message).toContain("no-such-tool");
    },
  },
  {
    feature: "tools",
    name: "a tools/call without a name is a JSON-RPC error",
    spec: {
      page: "server/tools",
      section: "Error Handling",
      says: "Protocol Errors: … Malformed requests (requests that fail to satisfy CallToolRequest schema)",
    },
    async run(wire) {
      const error = errorOf(await wire.request("tools/call", { arguments: {} }));
      expect(error.code).toBe(-32602);
    },
  },
  {
    feature: "tools",
    name: "invalid arguments are an isError result naming the problem, not a protocol error",
    spec: {
      page: "server/tools",
      section: "Error Handling",
      says: "Tool Execution Errors: Reported in tool results with `isError: true`: … Input validation errors",
    },
    async run(wire) {
      const result = await toolResult(wire, "echo", { text: 42 });
      expect(result.isError).toBe(true);
      const [block] = result.content as Array<{ type: string; text: string }>;
      expect(block?.type).toBe("text");
      expect(block?.text).toContain("text");
    },
  },
  {
    feature: "tools",
    name: "a handler that throws gives an isError result with its message",
    spec: {
      page: "server/tools",
      section: "Error Handling",
      says: "Tool Execution Errors: Reported in tool results with `isError: true`: API failures … Business logic errors",
    },
    async run(wire) {
      const result = await toolResult(wire, "fail");
      expect(result).toMatchObject({ isError: true, content: [{ type: "text" }] });
      expect(JSON.stringify(result.content)).toContain("The backend is down.");
    },
  },
  {
    feature: "tools",
    name: "a tool call returns its content, with isError unset or false",
    spec: {
      page: "server/tools",
      section: "Calling Tools",
      says: 'To invoke a tool, clients send a `tools/call` request (response: `content` … `"isError": false`)',
    },
    async run(wire) {
      const result = await toolResult(wire, "echo", { text: "héllo ✓" });
      expect(result.content).toEqual([{ type: "text", text: "héllo ✓" }]);
      expect(result.isError ?? false).toBe(false);
    },
  },
  {
    feature: "tools",
    name: "structured content conforms to the outputSchema and comes with a text copy",
    spec: {
      page: "server/tools",
      section: "Output Schema",
      says: "Servers **MUST** provide structured results that conform to this schema. … a tool that returns structured content SHOULD also return the serialized JSON in a TextContent block.",
    },
    async run(wire) {
      const { tools } = resultOf(await wire.request("tools/list")) as {
        tools: Array<Record<string, unknown>>;
      };
      expect(tools.find((t) => t.name === "weather")?.outputSchema).toMatchObject({
        type: "object",
        required: ["temperature", "conditions"],
      });
      const result = await toolResult(wire, "weather");
      expect(result.structuredContent).toEqual({ temperature: 22.5, conditions: "Partly cloudy" });
      const [block] = result.content as Array<{ type: string; text: string }>;
      expect(block?.type).toBe("text");
      expect(JSON.parse(block?.text ?? "")).toEqual(result.structuredContent);
    },
  },
  {
    feature: "tools",
    name: "a list method that gave no nextCursor refuses any cursor with -32602",
    spec: {
      page: "server/utilities/pagination",
      section: "Error Handling",
      says: "Invalid cursors **SHOULD** result in an error with code -32602 (Invalid params)",
    },
    async run(wire) {
      for (const method of ["tools/list", "prompts/list", "resources/list", "resources/templates/list"]) {
        const listed = resultOf(await wire.request(method));
        expect(listed.nextCursor).toBeUndefined();
        const error = errorOf(await wire.request(method, { cursor: "bm90LWEtY3Vyc29y" }));
        expect(error).toMatchObject({ code: -32602, data: { reason: "invalid-cursor" } });
        expect(error.message).toContain("without a cursor");
      }
    },
  },
];
