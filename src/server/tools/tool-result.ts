import { ProgressError } from "../../context/progress-error.js";
import { CancelledError, isToolError } from "../../errors.js";
import type { CallToolResult, ContentBlock } from "../../protocol/mcp-types.js";
import { isProtocolError } from "../../protocol/protocol-error.js";
import type { ToolOutcome } from "./tool-runner.js";

const CONTENT_TYPES = new Set(["text", "image", "audio", "resource_link", "resource"]);

/** True when a handler already returned an MCP `CallToolResult` (an object with a `content` array of blocks). */
export function isCallToolResult(value: unknown): value is CallToolResult {
  if (typeof value !== "object" || value === null) return false;
  const content = (value as { content?: unknown }).content;
  return (
    Array.isArray(content) &&
    content.every(
      (block: unknown) =>
        typeof block === "object" &&
        block !== null &&
        CONTENT_TYPES.has((block as { type?: unknown }).type as string),
    )
  );
}

function text(value: string): ContentBlock {
  return { type: "text", text: value };
}

/**
 * Maps a handler's return value to a `CallToolResult`:
 * a `CallToolResult` passes through; `undefined`/`null` → no content; a string → one text block;
 * a plain object → `structuredContent` plus its JSON as text (as MCP recommends for compatibility);
 * anything else → its JSON as text.
 */
export function toCallToolResult(value: unknown): CallToolResult {
  if (value === undefined || value === null) return { content: [] };
  if (typeof value === "string") return { content: [text(value)] };
  if (isCallToolResult(value)) return value;
  if (typeof value === "object" && !Array.isArray(value)) {
    return { content: [text(JSON.stringify(value))], structuredContent: value as Record<string, unknown> };
  }
  if (typeof value === "bigint") return { content: [text(value.toString())] };
  return { content: [text(JSON.stringify(value) ?? String(value))] };
}

/** An `isError: true` result carrying `message` (and optional structured details). */
export function toolErrorResult(message: string, details?: Record<string, unknown>): CallToolResult {
  const result: CallToolResult = { content: [text(message)], isError: true };
  if (details !== undefined) result.structuredContent = details;
  return result;
}

/**
 * The one place that decides whether a failed tool call is a tool result (`isError: true`, for
 * the model to read) or a JSON-RPC error (for the client):
 * - invalid arguments → `isError` result naming the field, so the model can correct itself (MCP 2025-11-25, SEP-1303);
 * - `ToolError` → `isError` result with its message, never masked;
 * - `ProtocolError` (timeouts, errors a handler throws on purpose) and cancellation → thrown as is;
 * - any other error → `isError` result with its message, or a generic one when `maskErrorDetails` is set.
 *   That includes an uncaught `ProgressError`: the handler reported invalid progress, which is the
 *   server's bug, not the client's, so it must not come back as the client's `-32602`.
 */
export function settleToolResult(
  toolName: string,
  outcome: ToolOutcome,
  maskErrorDetails: boolean,
): CallToolResult {
  if (outcome.ok) return outcome.result ?? toCallToolResult(outcome.value);
  const { error } = outcome;
  if (outcome.phase === "input") return toolErrorResult((error as Error).message);
  if (isToolError(error)) return toolErrorResult(error.message, error.details);
  if ((isProtocolError(error) && !(error instanceof ProgressError)) || error instanceof CancelledError)
    throw error;
  if (maskErrorDetails) return toolErrorResult(`Tool "${toolName}" failed with an internal error.`);
  return toolErrorResult(
    error instanceof Error ? error.message : `Tool "${toolName}" failed: ${String(error)}`,
  );
}
