import { isRequest, type JsonRpcMessage } from "../../protocol/jsonrpc.js";
import { mcpNameOf } from "../../protocol/revisions/2026-07-28.js";
import { toBase64 } from "../../util/base64.js";

const encoder = new TextEncoder();
const SENTINEL = /^=\?base64\?.*\?=$/i;

/**
 * A value as an MCP header carries it (SEP-2243): as is when it is visible ASCII without
 * surrounding whitespace, else `=?base64?…?=` of its UTF-8 bytes. A plain value that looks like
 * that form is encoded too, so the server decodes every value the same way.
 */
export function encodeHeaderValue(value: string): string {
  const plain = /^[\x20-\x7e]*$/.test(value) && value.trim() === value && !SENTINEL.test(value);
  return plain ? value : `=?base64?${toBase64(encoder.encode(value))}?=`;
}

/**
 * The standard headers of a 2026-07-28 request over HTTP: `MCP-Protocol-Version`, `Mcp-Method`
 * and, for the methods that have one, `Mcp-Name` (the tool or prompt name, the resource URI, the
 * task id). The server checks each against the body (`-32020` when they differ).
 */
export function statelessHeaders(message: JsonRpcMessage, protocolVersion: string): Record<string, string> {
  const headers: Record<string, string> = { "mcp-protocol-version": protocolVersion };
  if (!isRequest(message)) return headers;
  headers["mcp-method"] = message.method;
  const name = mcpNameOf(message.method, message.params);
  if (name !== undefined) headers["mcp-name"] = encodeHeaderValue(name);
  return headers;
}
