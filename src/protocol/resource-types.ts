/**
 * MCP 2025-11-25 shapes of resources and resource templates (`resources/*`). Only what the
 * framework produces or consumes.
 */

/** Who a resource or content block is meant for. */
export type Role = "user" | "assistant";

/** Hints about a resource or content block. Clients must treat them as untrusted. */
export interface Annotations {
  /** Who the data is meant for. */
  audience?: Role[];
  /** How important it is: 1 = most, 0 = least. */
  priority?: number;
  /** When it last changed (ISO 8601). */
  lastModified?: string;
}

/** A resource as `resources/list` returns it. */
export interface Resource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  annotations?: Annotations;
  /** Size of the raw content in bytes, when known. */
  size?: number;
  _meta?: Record<string, unknown>;
}

/** A resource template (RFC 6570 URI template) as `resources/templates/list` returns it. */
export interface ResourceTemplate {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  annotations?: Annotations;
  _meta?: Record<string, unknown>;
}

/** The text content of a resource. */
export interface TextResourceContents {
  uri: string;
  mimeType?: string;
  text: string;
  _meta?: Record<string, unknown>;
}

/** The binary content of a resource, base64-encoded. */
export interface BlobResourceContents {
  uri: string;
  mimeType?: string;
  blob: string;
  _meta?: Record<string, unknown>;
}

/** One item of a `resources/read` result. */
export type ResourceContents = TextResourceContents | BlobResourceContents;

/** The result of `resources/read`. */
export interface ReadResourceResult {
  contents: ResourceContents[];
  _meta?: Record<string, unknown>;
}
