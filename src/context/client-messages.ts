import type { AudioContent, ImageContent, TextContent } from "../protocol/mcp-types.js";

/** One message of a sampling conversation. */
export interface SamplingMessage {
  role: "user" | "assistant";
  content: TextContent | ImageContent | AudioContent;
}

/** Options every request to the client takes (`ctx.elicit`, `ctx.sample`, `ctx.listRoots`). */
export interface InputOptions {
  /**
   * The request's key in an MCP 2026-07-28 `input_required` result, where the client answers it
   * under the same key (unique within the handler's asks). Default: the ask's position among the
   * handler's asks plus a fingerprint of its parameters, e.g. `elicit-0-1a2b3c4d`. Not used on the
   * 2025 revisions, which send the request itself.
   */
  inputKey?: string;
}

/** Options of `ctx.sample` (MCP `sampling/createMessage`). */
export interface SampleOptions extends InputOptions {
  /** Upper bound on generated tokens (default 1000). */
  maxTokens?: number;
  systemPrompt?: string;
  temperature?: number;
  stopSequences?: string[];
  includeContext?: "none" | "thisServer" | "allServers";
  modelPreferences?: {
    hints?: Array<{ name?: string }>;
    costPriority?: number;
    speedPriority?: number;
    intelligencePriority?: number;
  };
  metadata?: Record<string, unknown>;
}

/** The client's answer to `sampling/createMessage`. */
export interface SampleResult {
  role: "user" | "assistant";
  content: TextContent | ImageContent | AudioContent;
  model: string;
  stopReason?: string;
  [key: string]: unknown;
}

/**
 * The schema of an elicitation form: a flat object whose properties are strings, numbers,
 * integers, booleans or enums (MCP restricts elicitation to these).
 */
export interface ElicitationSchema {
  type: "object";
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
  [key: string]: unknown;
}

/** A root the client exposes (`roots/list`): a `file://` URI and an optional name. */
export interface Root {
  uri: string;
  name?: string;
  [key: string]: unknown;
}

/** Answers a server's request to the client: gets its params, returns its result. */
export type ClientRequestHandler = (
  params: Record<string, unknown>,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** The person's answer to `elicitation/create`. */
export type ElicitResult<T = Record<string, unknown>> =
  | { action: "accept"; content: T }
  | { action: "decline" | "cancel"; content?: undefined };
