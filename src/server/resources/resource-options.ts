import type { ComponentAccessOptions } from "../../auth/component-access.js";
import type { Context } from "../../context/context.js";
import type { Annotations, ReadResourceResult } from "../../protocol/resource-types.js";
import type { CacheHints } from "../cache-hints.js";
import type { CompletionProvider } from "../completion/completers.js";
import type { UriTemplateVariableName, UriTemplateVariables } from "./uri-template/uri-template-types.js";

/** One item of a resource's content as a handler may return it: `uri` and `mimeType` default to the resource's. */
export type ResourceContentsInput =
  | { uri?: string; mimeType?: string; text: string; _meta?: Record<string, unknown> }
  | {
      uri?: string;
      mimeType?: string;
      blob: string | Uint8Array | ArrayBuffer;
      _meta?: Record<string, unknown>;
    };

/**
 * What a resource handler returns: text, bytes (sent base64 as `blob`), one or more contents
 * items, or a whole `ReadResourceResult`.
 */
export type ResourceValue =
  | string
  | Uint8Array
  | ArrayBuffer
  | ResourceContentsInput
  | readonly ResourceContentsInput[]
  | ReadResourceResult;

/** Reads a fixed resource. Sync or async; may ignore `ctx`. */
export type ResourceHandler = (uri: URL, ctx: Context) => ResourceValue | Promise<ResourceValue>;

/**
 * Reads a resource a template matched; `variables` holds the template's values (percent-decoded).
 * `addResourceTemplate` infers `Variables` from the template: `{ id: string }` for `"users://{id}"`.
 */
export type ResourceTemplateHandler<Variables = UriTemplateVariables<string>> = (
  uri: URL,
  variables: Variables,
  ctx: Context,
) => ResourceValue | Promise<ResourceValue>;

/** What `resources/list` and `resources/templates/list` say about a resource or template. */
interface ResourceMetadata extends ComponentAccessOptions {
  /** A programmatic name; defaults to the URI (or URI template). */
  name?: string;
  /** A display name for people. */
  title?: string;
  /** What the resource holds, for the model. */
  description?: string;
  /** The MIME type, listed and used for contents that do not name their own. */
  mimeType?: string;
  /** Audience, priority and last-modified hints. */
  annotations?: Annotations;
  /** Extra metadata, listed as `_meta`. */
  _meta?: Record<string, unknown>;
  /**
   * How long its `resources/read` result (and the list naming it) may be reused on 2026-07-28
   * (default: the server's `cache` option).
   */
  cache?: CacheHints;
}

/** Options of `server.addResource(uri, handler, options)`. */
export interface ResourceOptions extends ResourceMetadata {
  /** Size of the raw content in bytes, when known. */
  size?: number;
}

/** Options of `server.addResourceTemplate(uriTemplate, handler, options)`; `T` is the template literal. */
export interface ResourceTemplateOptions<T extends string = string> extends ResourceMetadata {
  /**
   * Completion of template variables (`completion/complete` with `ref/resource`), by variable
   * name: only the template's own variables are accepted.
   */
  complete?: { readonly [Name in UriTemplateVariableName<T>]?: CompletionProvider };
}
