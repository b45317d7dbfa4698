import { FastestMcpError } from "../errors.js";
import type {
  AudioContent,
  EmbeddedResource,
  ImageContent,
  ResourceLink,
  TextContent,
} from "../protocol/mcp-types.js";
import { asBytes, isBinary, toBase64 } from "../util/base64.js";

/**
 * Builders for MCP content blocks, for tool results (`{ content: [...] }`) and prompt messages.
 * Binary data may be given as bytes (`Uint8Array`, `Buffer`, `ArrayBuffer`) or as a base64 string.
 */

/** Extra fields every content block may carry. */
export interface ContentExtras {
  annotations?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64Of(data: Uint8Array | ArrayBuffer | string, what: string): string {
  if (isBinary(data)) return toBase64(asBytes(data));
  if (typeof data === "string" && data.length % 4 === 0 && BASE64.test(data)) return data;
  throw new FastestMcpError(
    "FMCP_ERR_CONTENT_INVALID",
    `The data of ${what} must be bytes (Uint8Array, ArrayBuffer) or a base64 string.`,
  );
}

function mimeTypeOf(mimeType: unknown, what: string): string {
  if (typeof mimeType !== "string" || mimeType.length === 0) {
    throw new FastestMcpError("FMCP_ERR_CONTENT_INVALID", `${what} needs a MIME type such as "image/png".`);
  }
  return mimeType;
}

function withExtras<T extends object>(block: T, extras: ContentExtras | undefined): T {
  if (extras?.annotations !== undefined) Object.assign(block, { annotations: extras.annotations });
  if (extras?._meta !== undefined) Object.assign(block, { _meta: extras._meta });
  return block;
}

/** A text block: `{ type: "text", text }`. */
export function textContent(text: string, extras?: ContentExtras): TextContent {
  return withExtras({ type: "text", text: String(text) }, extras);
}

/** An image block; bytes are base64-encoded. @throws {FastestMcpError} `FMCP_ERR_CONTENT_INVALID` */
export function imageContent(
  data: Uint8Array | ArrayBuffer | string,
  mimeType: string,
  extras?: ContentExtras,
): ImageContent {
  return withExtras(
    { type: "image", data: base64Of(data, "an image"), mimeType: mimeTypeOf(mimeType, "An image") },
    extras,
  );
}

/** An audio block; bytes are base64-encoded. @throws {FastestMcpError} `FMCP_ERR_CONTENT_INVALID` */
export function audioContent(
  data: Uint8Array | ArrayBuffer | string,
  mimeType: string,
  extras?: ContentExtras,
): AudioContent {
  return withExtras(
    { type: "audio", data: base64Of(data, "an audio clip"), mimeType: mimeTypeOf(mimeType, "An audio clip") },
    extras,
  );
}

/**
 * A resource embedded in the content: a string becomes `resource.text`, bytes become
 * `resource.blob` (base64).
 */
export function embeddedResource(
  uri: string,
  content: string | Uint8Array | ArrayBuffer,
  mimeType?: string,
  extras?: ContentExtras,
): EmbeddedResource {
  const resource: EmbeddedResource["resource"] =
    typeof content === "string"
      ? { uri, text: content }
      : { uri, blob: base64Of(content, `embedded resource ${JSON.stringify(uri)}`) };
  if (mimeType !== undefined) resource.mimeType = mimeTypeOf(mimeType, `Embedded resource ${uri}`);
  return withExtras({ type: "resource", resource }, extras);
}

/** What a resource link says about the resource it points to. */
export interface ResourceLinkOptions {
  /** Defaults to the last path segment of the URI (or the URI itself). */
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  _meta?: Record<string, unknown>;
}

/** A link to a resource the client may read with `resources/read` (not embedded). */
export function resourceLink(uri: string, options: ResourceLinkOptions = {}): ResourceLink {
  const { name, ...rest } = options;
  const fallback = uri.replace(/\/+$/, "").split("/").pop() || uri;
  const link: ResourceLink = { type: "resource_link", uri, name: name ?? fallback };
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) Object.assign(link, { [key]: value });
  }
  return link;
}
