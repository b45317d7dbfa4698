import type { CallToolResult } from "./mcp-types.js";

/** The text of a tool result's first text block (what an error result says), if it has one. */
export function firstText(result: CallToolResult | undefined): string | undefined {
  const block = result?.content.find((item) => item.type === "text");
  return block?.type === "text" ? block.text : undefined;
}
