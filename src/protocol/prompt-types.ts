/** MCP 2025-11-25 shapes of prompts (`prompts/*`) and completion (`completion/complete`). */
import type { ContentBlock } from "./mcp-types.js";
import type { Role } from "./resource-types.js";

/** An argument a prompt accepts. Values are always strings. */
export interface PromptArgument {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

/** A prompt as `prompts/list` returns it. */
export interface Prompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  _meta?: Record<string, unknown>;
}

/** One message of a prompt: text, image, audio, a resource link or an embedded resource. */
export interface PromptMessage {
  role: Role;
  content: ContentBlock;
}

/** The result of `prompts/get`. */
export interface GetPromptResult {
  description?: string;
  messages: PromptMessage[];
  _meta?: Record<string, unknown>;
}

/** What `completion/complete` completes: an argument of a prompt, or a variable of a resource template. */
export type CompletionReference =
  | { type: "ref/prompt"; name: string }
  | { type: "ref/resource"; uri: string };

/** The `completion` of a `completion/complete` result: at most 100 values. */
export interface Completion {
  values: string[];
  /** How many values match in all (may exceed `values.length`). */
  total?: number;
  /** More values exist than were returned. */
  hasMore?: boolean;
}

/** The result of `completion/complete`. */
export interface CompleteResult {
  completion: Completion;
  _meta?: Record<string, unknown>;
}
