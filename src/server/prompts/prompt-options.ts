import type { ComponentAccessOptions } from "../../auth/component-access.js";
import type { Context } from "../../context/context.js";
import type { ContentBlock } from "../../protocol/mcp-types.js";
import type { GetPromptResult, PromptArgument, PromptMessage } from "../../protocol/prompt-types.js";
import type { Role } from "../../protocol/resource-types.js";
import type { StandardSchemaV1 } from "../../schema/standard-schema.js";
import type { CacheHints } from "../cache-hints.js";
import type { CompletionProviders } from "../completion/completers.js";

/** A prompt's arguments: a list of `{ name, description, required }`, or a Standard Schema object (zod, …) of strings. */
export type PromptArguments = readonly PromptArgument[] | StandardSchemaV1;

/** The handler's `args` type: inferred for a Standard Schema, else string values by name. */
export type InferPromptArgs<A> =
  A extends StandardSchemaV1<unknown, infer Output> ? Output : Record<string, string>;

/** A prompt message as a handler may write it: `content` may be a plain string (a text block). */
export interface PromptMessageInput {
  role: Role;
  content: ContentBlock | string;
}

/**
 * What a prompt handler returns: a string (one user message), a list of messages (strings are
 * user messages), or `{ description?, messages }`.
 */
export type PromptValue =
  | string
  | PromptMessageInput
  | ReadonlyArray<PromptMessageInput | PromptMessage | string>
  | { description?: string; messages: ReadonlyArray<PromptMessageInput | PromptMessage | string> }
  | GetPromptResult;

/** Renders a prompt. Sync or async; may ignore either argument. */
export type PromptHandler<Args = Record<string, string>> = (
  args: Args,
  ctx: Context,
) => PromptValue | Promise<PromptValue>;

/** Options of `server.addPrompt(name, handler, options)`. */
export interface PromptOptions<A extends PromptArguments | undefined = PromptArguments | undefined>
  extends ComponentAccessOptions {
  /** A display name for people. */
  title?: string;
  /** What the prompt is for. */
  description?: string;
  /** The arguments it takes; listed in `prompts/list` and checked before the handler runs. */
  arguments?: A;
  /** Completion of argument values (`completion/complete` with `ref/prompt`), by argument name. */
  complete?: CompletionProviders;
  /** Extra metadata, listed as `_meta`. */
  _meta?: Record<string, unknown>;
  /** How long `prompts/list` may be reused on 2026-07-28 (default: the server's `cache` option). */
  cache?: CacheHints;
}
