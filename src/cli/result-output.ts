import type { OutputFormat } from "./args.js";
import type { CliStream } from "./io.js";

/** A content block of a tool result, as far as printing needs. */
interface Content {
  type: string;
  text?: string;
  mimeType?: string;
  data?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; text?: string; mimeType?: string; blob?: string };
}

/**
 * Prints a tool result on stdout: with `json`, the whole `CallToolResult` (for `jq` and scripts);
 * as text, each content block (text as is, binary as a one-line summary), or the structured
 * content when there is no text.
 */
export function printResult(out: CliStream, result: Record<string, unknown>, format: OutputFormat): void {
  if (format === "json") {
    out.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const content = Array.isArray(result.content) ? (result.content as Content[]) : [];
  const lines = content.map(describe);
  if (!lines.some((line) => line !== "") && result.structuredContent !== undefined) {
    lines.push(JSON.stringify(result.structuredContent, null, 2));
  }
  for (const line of lines) out.write(`${line}\n`);
}

function describe(block: Content): string {
  switch (block.type) {
    case "text":
      return block.text ?? "";
    case "image":
    case "audio":
      return `[${block.type} ${block.mimeType ?? ""}, ${Math.floor(((block.data?.length ?? 0) * 3) / 4)} bytes]`;
    case "resource_link":
      return `[resource ${block.uri ?? ""}${block.name === undefined ? "" : ` ${block.name}`}]`;
    case "resource":
      return block.resource?.text ?? `[resource ${block.resource?.uri ?? ""}]`;
    default:
      return JSON.stringify(block);
  }
}
