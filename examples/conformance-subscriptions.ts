/**
 * The conformance server's fixtures for `subscriptions/listen` (MCP 2026-07-28, SEP-2575): the
 * suite's `server-stateless` scenario opens a listen stream, then calls these to change a list
 * and expects the stream to carry the list-changed notification. See examples/conformance-server.ts.
 */
import type { FastestMCP } from "../src/index.js";

const NO_ARGS = { type: "object", properties: {} } as const;

/** Registers `test_trigger_tool_change` and `test_trigger_prompt_change`. */
export function addSubscriptionFixtures(server: FastestMCP): void {
  server
    .addTool(
      "test_trigger_tool_change",
      () => {
        // Adds a tool, or removes it again: either way tools/list changes.
        if (!server.removeTool("test_dynamic_tool")) server.addTool("test_dynamic_tool", () => "dynamic");
        return "The tool list changed.";
      },
      { description: "Adds or removes test_dynamic_tool (a tools/list change)", inputSchema: NO_ARGS },
    )
    .addTool(
      "test_trigger_prompt_change",
      () => {
        if (!server.removePrompt("test_dynamic_prompt"))
          server.addPrompt("test_dynamic_prompt", () => "dynamic");
        return "The prompt list changed.";
      },
      { description: "Adds or removes test_dynamic_prompt (a prompts/list change)", inputSchema: NO_ARGS },
    );
}
