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
        // Adds a tool and takes it away again: tools/list changes (listeners hear it), and the
        // scenarios that run later still see the fixture's own list.
        server.addTool("test_dynamic_tool", () => "dynamic", { description: "Added for a moment" });
        server.removeTool("test_dynamic_tool");
        return "The tool list changed.";
      },
      {
        description: "Adds test_dynamic_tool and removes it again (a tools/list change)",
        inputSchema: NO_ARGS,
      },
    )
    .addTool(
      "test_trigger_prompt_change",
      () => {
        server.addPrompt("test_dynamic_prompt", () => "dynamic", { description: "Added for a moment" });
        server.removePrompt("test_dynamic_prompt");
        return "The prompt list changed.";
      },
      {
        description: "Adds test_dynamic_prompt and removes it again (a prompts/list change)",
        inputSchema: NO_ARGS,
      },
    );
}
