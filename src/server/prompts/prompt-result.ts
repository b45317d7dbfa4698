import { isObject } from "../../protocol/is-object.js";
import type { ContentBlock } from "../../protocol/mcp-types.js";
import type { GetPromptResult, PromptMessage } from "../../protocol/prompt-types.js";
import { InternalError } from "../../protocol/protocol-error.js";

const CONTENT_TYPES = new Set(["text", "image", "audio", "resource_link", "resource"]);

function invalid(prompt: string, detail: string): InternalError {
  return new InternalError(`Prompt "${prompt}" returned ${detail}.`, "prompt-result-invalid", { prompt });
}

function toMessage(item: unknown, prompt: string): PromptMessage {
  if (typeof item === "string") return { role: "user", content: { type: "text", text: item } };
  if (!isObject(item) || (item.role !== "user" && item.role !== "assistant")) {
    throw invalid(prompt, 'a message that is neither a string nor { role: "user" | "assistant", content }');
  }
  const { content } = item;
  if (typeof content === "string") return { role: item.role, content: { type: "text", text: content } };
  if (!isObject(content) || !CONTENT_TYPES.has(content.type as string)) {
    throw invalid(
      prompt,
      "a message whose content is not a string or a content block (text, image, audio, resource_link, resource)",
    );
  }
  return { role: item.role, content: content as unknown as ContentBlock };
}

/**
 * Maps a prompt handler's value to a `GetPromptResult`: a string → one user text message; a
 * message or a list of messages (strings are user text messages, string `content` becomes a text
 * block) → those messages; `{ description?, messages }` → that result. Without a description of
 * its own, the result carries the prompt's.
 * @throws {InternalError} (-32603, `prompt-result-invalid`) for anything else.
 */
export function toGetPromptResult(
  value: unknown,
  prompt: string,
  description: string | undefined,
): GetPromptResult {
  let messages: unknown[];
  let own: unknown;
  let meta: unknown;
  if (typeof value === "string") messages = [value];
  else if (Array.isArray(value)) messages = value;
  else if (isObject(value) && Array.isArray(value.messages)) {
    messages = value.messages;
    own = value.description;
    meta = value._meta;
  } else if (isObject(value) && "role" in value) messages = [value];
  else {
    throw invalid(
      prompt,
      `${value === null ? "null" : typeof value}: return a string, messages, or { description?, messages }`,
    );
  }
  const list = messages.map((item) => toMessage(item, prompt));
  const text = typeof own === "string" ? own : description;
  const result: GetPromptResult =
    text === undefined ? { messages: list } : { description: text, messages: list };
  if (isObject(meta)) result._meta = meta;
  return result;
}
