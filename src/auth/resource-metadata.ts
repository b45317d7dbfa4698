import { FastestMcpError } from "../errors.js";
import { quote } from "../protocol/quote.js";
import { scopeList } from "./scopes.js";

/** What the server publishes as its RFC 9728 Protected Resource Metadata. */
export interface ResourceMetadataOptions {
  /**
   * This server's resource identifier: the canonical URL of its MCP endpoint
   * (`https://api.example.com/mcp`), what clients send as the RFC 8707 `resource` and what
   * tokens must name as their audience. `https`, or `http` on a loopback host (for development).
   */
  resource: string;
  /** The authorization servers (issuer identifiers) whose tokens this server accepts; at least one. */
  authorizationServers: readonly string[];
  /** The scopes this server understands (`scopes_supported`). */
  scopesSupported?: readonly string[];
  /** A human-readable name of the server (`resource_name`). */
  resourceName?: string;
  /** A page documenting the server for developers (`resource_documentation`). */
  resourceDocumentation?: string;
  /** The server's policy on data use (`resource_policy_uri`). */
  resourcePolicyUri?: string;
  /** The server's terms of service (`resource_tos_uri`). */
  resourceTosUri?: string;
}

/** The published metadata, ready to serve: its JSON, where it lives and the URL that names it. */
export interface PublishedMetadata {
  readonly resource: string;
  /** The document, serialised once. */
  readonly json: string;
  /** The absolute URL of the path-aware document, for `WWW-Authenticate: Bearer resource_metadata`. */
  readonly url: string;
  /** The paths it is served at: the path-aware well-known path and the root one. */
  readonly paths: ReadonlySet<string>;
}

/** The well-known path prefix of RFC 9728 §3. */
export const WELL_KNOWN_PREFIX = "/.well-known/oauth-protected-resource";

function invalid(message: string): FastestMcpError {
  return new FastestMcpError("FMCP_ERR_OPTION_INVALID", `auth.resourceMetadata: ${message}`);
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || host.startsWith("127.");
}

/** A URL option: absolute, https (http only on loopback), no fragment. */
function secureUrl(value: unknown, option: string): URL {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined) throw invalid(`${option} ${quote(value)} is not an absolute URL.`);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    throw invalid(`${option} ${quote(value)} must use https (http is accepted on loopback hosts only).`);
  }
  if (url.hash !== "" || (value as string).includes("#")) {
    throw invalid(`${option} ${quote(value)} must not have a fragment.`);
  }
  return url;
}

function optionalUrl(document: Record<string, unknown>, key: string, value: unknown, option: string): void {
  if (value !== undefined) document[key] = secureUrl(value, option).href;
}

/**
 * Checks the metadata options and builds the document once (RFC 9728 §2): `resource`,
 * `authorization_servers`, `bearer_methods_supported: ["header"]` (tokens in the query string or
 * body are refused), and the optional fields that are set.
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for a missing or malformed field.
 */
export function publishMetadata(options: ResourceMetadataOptions): PublishedMetadata {
  if (typeof options !== "object" || options === null) throw invalid("is required.");
  const url = secureUrl(options.resource, "resource");
  // The identifier exactly as given (canonical form is the operator's call; tokens must match it).
  const resource = options.resource;
  const servers = options.authorizationServers;
  if (!Array.isArray(servers) || servers.length === 0) {
    throw invalid("authorizationServers must list at least one issuer URL.");
  }
  const document: Record<string, unknown> = {
    resource,
    authorization_servers: servers.map((server) => {
      secureUrl(server, "authorizationServers entry");
      return server;
    }),
    bearer_methods_supported: ["header"],
  };
  if (options.scopesSupported !== undefined) {
    document.scopes_supported = scopeList(options.scopesSupported, "auth.resourceMetadata.scopesSupported");
  }
  if (options.resourceName !== undefined) {
    if (typeof options.resourceName !== "string") throw invalid("resourceName must be a string.");
    document.resource_name = options.resourceName;
  }
  optionalUrl(document, "resource_documentation", options.resourceDocumentation, "resourceDocumentation");
  optionalUrl(document, "resource_policy_uri", options.resourcePolicyUri, "resourcePolicyUri");
  optionalUrl(document, "resource_tos_uri", options.resourceTosUri, "resourceTosUri");
  // RFC 9728 §3.1: the well-known segment goes between the host and the resource's path.
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  const aware = `${WELL_KNOWN_PREFIX}${path}`;
  return {
    resource,
    json: JSON.stringify(document),
    url: `${url.origin}${aware}`,
    paths: new Set([aware, WELL_KNOWN_PREFIX]),
  };
}
