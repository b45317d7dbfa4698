import { FastestMcpError } from "../errors.js";
import { quote } from "../protocol/quote.js";
import {
  type PublishedMetadata,
  publishMetadata,
  type ResourceMetadataOptions,
} from "./resource-metadata.js";
import { scopeList } from "./scopes.js";
import type { AudienceBoundVerifier, TokenVerifier } from "./token-verifier.js";
import { bearerChallenge } from "./www-authenticate.js";

/** The `auth` server option: makes the HTTP endpoint an OAuth 2.1 resource server (docs/auth.md). */
export interface AuthOptions {
  /** Turns a bearer token into the caller's identity: {@link jwtVerifier}, or your own. */
  verifyToken: TokenVerifier;
  /** The RFC 9728 Protected Resource Metadata the server publishes and names in its challenges. */
  resourceMetadata: ResourceMetadataOptions;
  /** Scopes every request needs (missing ones: `403 insufficient_scope`). Default: none. */
  requiredScopes?: readonly string[];
}

/** The `auth` option checked and prepared once: what the HTTP endpoint uses on every request. */
export interface ResolvedAuth {
  readonly verifyToken: TokenVerifier;
  readonly metadata: PublishedMetadata;
  readonly requiredScopes: readonly string[];
  /** The challenge of a request without credentials (no `error`), built once. */
  readonly challenge: string;
}

/** A resource identifier as compared with an audience: without one trailing slash. */
function comparable(uri: string): string {
  return uri.endsWith("/") ? uri.slice(0, -1) : uri;
}

/**
 * Checks the `auth` option (undefined when absent) and prepares it.
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for a missing verifier, malformed metadata,
 * bad scope names, or a `jwtVerifier` whose audience does not name the resource.
 */
export function resolveAuth(options: AuthOptions | undefined): ResolvedAuth | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      "auth must be an object: { verifyToken, resourceMetadata }.",
    );
  }
  if (typeof options.verifyToken !== "function") {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      "auth.verifyToken must be a function (token, request) => AuthInfo | undefined, e.g. jwtVerifier({ jwksUri, issuer, audience }).",
    );
  }
  const metadata = publishMetadata(options.resourceMetadata);
  const audiences = (options.verifyToken as Partial<AudienceBoundVerifier>).audiences;
  if (
    audiences !== undefined &&
    !audiences.some((aud) => comparable(aud) === comparable(metadata.resource))
  ) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `auth: the token verifier's audience (${audiences.map((aud) => quote(aud)).join(", ")}) does not name this server's resource ${quote(metadata.resource)}: tokens for it would all be refused, and tokens for another service could pass.`,
    );
  }
  const requiredScopes =
    options.requiredScopes === undefined ? [] : scopeList(options.requiredScopes, "auth.requiredScopes");
  return Object.freeze({
    verifyToken: options.verifyToken,
    metadata,
    requiredScopes,
    challenge: bearerChallenge(metadata.url, requiredScopes),
  });
}
