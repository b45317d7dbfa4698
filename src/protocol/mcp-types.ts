/**
 * MCP 2025-11-25 shapes used by the server core. Only what the framework produces or consumes;
 * revision-specific additions live beside this file as the next revision lands.
 */

/** A JSON Schema object describing a tool's input or output (MCP requires `type: "object"`). */
export interface JsonSchemaObject {
  type?: "object";
  properties?: Record<string, unknown>;
  required?: string[];
  [key: string]: unknown;
}

/** Hints about a tool's behaviour. Clients must treat them as untrusted. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** How a tool may be run with respect to MCP Tasks. */
export type TaskSupport = "forbidden" | "optional" | "required";

/** A tool as listed by `tools/list`. */
export interface ToolDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonSchemaObject;
  outputSchema?: JsonSchemaObject;
  annotations?: ToolAnnotations;
  execution?: { taskSupport?: TaskSupport };
  _meta?: Record<string, unknown>;
}

export interface TextContent {
  type: "text";
  text: string;
  annotations?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

export interface ImageContent {
  type: "image";
  data: string;
  mimeType: string;
  annotations?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

export interface AudioContent {
  type: "audio";
  data: string;
  mimeType: string;
  annotations?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

export interface ResourceLink {
  type: "resource_link";
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  _meta?: Record<string, unknown>;
}

export interface EmbeddedResource {
  type: "resource";
  resource: { uri: string; mimeType?: string; text?: string; blob?: string };
  annotations?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/** One item of a tool result's `content`. */
export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink | EmbeddedResource;

/** The result of `tools/call`; `Structured` types `structuredContent` (see `InferToolOutput`). */
export interface CallToolResult<Structured = Record<string, unknown>> {
  content: ContentBlock[];
  structuredContent?: Structured;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

/** Syslog severities used by MCP logging, lowest first. */
export const LOG_LEVELS = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
] as const;

/** One MCP logging level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A progress token: the caller's handle for one request's progress notifications. */
export type ProgressToken = string | number;

/** A JSON-RPC request id. */
export type RequestId = string | number;

/** `_meta` key that ties a message to a task (MCP 2025-11-25 Tasks). */
export const RELATED_TASK_META_KEY = "io.modelcontextprotocol/related-task";
