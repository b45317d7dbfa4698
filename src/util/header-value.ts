import { fromBase64 } from "./base64.js";

/** MCP 2026-07-28 header values outside visible ASCII travel as `=?base64?…?=` (SEP-2243). */
const BASE64_WORD = /^=\?base64\?(.*)\?=$/i;

/**
 * A header value as sent, or the text of its `=?base64?…?=` form (`Mcp-Name`, `Mcp-Param-*`);
 * `null` when that form holds no padded base64, so it equals no value.
 */
export function decodeHeaderValue(value: string): string | null {
  // Nearly every value is plain: no regular expression runs for it.
  if (!value.startsWith("=?")) return value;
  const word = BASE64_WORD.exec(value);
  if (word === null) return value;
  return fromBase64(word[1] as string) ?? null;
}
