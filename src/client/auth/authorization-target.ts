import { ProtocolError } from "../../protocol/protocol-error.js";
import { discoverAuthorizationServer, discoverProtectedResource, resourceCovers } from "./discovery.js";
import type { AuthorizationServerMetadata } from "./oauth-types.js";

/** Where tokens come from for one MCP server: what discovery found. */
export interface AuthorizationTarget {
  metadata: AuthorizationServerMetadata;
  /** The metadata was read from the server (not the 2025-03-26 default endpoints). */
  discovered: boolean;
  /** The `resource` (RFC 8707) to ask tokens for; undefined for a server without resource metadata. */
  resource: string | undefined;
  resourceScopes: string[] | undefined;
}

/**
 * Discovery for `serverUrl` after a refusal whose challenge named `metadataUrl` (or none): its
 * protected resource metadata, which must speak for it, and the metadata of the first
 * authorization server it names. A 2025-03-26 server without resource metadata: the server's
 * origin is the authorization server, with its root metadata or the default endpoints (that
 * metadata predates issuer checks, so none is made).
 */
export async function discoverTarget(
  fetchFn: typeof fetch,
  serverUrl: URL,
  metadataUrl: string | undefined,
): Promise<AuthorizationTarget> {
  const resource = await discoverProtectedResource(fetchFn, serverUrl, metadataUrl);
  if (resource === undefined) {
    const origin = serverUrl.origin;
    const metadata = await discoverAuthorizationServer(fetchFn, origin, false);
    return {
      metadata: metadata ?? {
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        registration_endpoint: `${origin}/register`,
      },
      discovered: metadata !== undefined,
      resource: undefined,
      resourceScopes: undefined,
    };
  }
  if (!resourceCovers(resource.resource, serverUrl)) {
    throw new ProtocolError(
      "resource-mismatch",
      `The protected resource metadata is for ${resource.resource}, not ${serverUrl.href}: no token is asked for it.`,
      { resource: resource.resource, url: serverUrl.href },
    );
  }
  const issuer = resource.authorization_servers?.[0];
  if (issuer === undefined) {
    throw new ProtocolError(
      "auth-discovery-failed",
      "The protected resource metadata names no authorization server.",
      {
        url: metadataUrl ?? serverUrl.href,
      },
    );
  }
  const metadata = await discoverAuthorizationServer(fetchFn, issuer, true);
  if (metadata === undefined) {
    throw new ProtocolError(
      "auth-discovery-failed",
      `The authorization server ${issuer} publishes no metadata.`,
      {
        url: issuer,
      },
    );
  }
  return {
    metadata,
    discovered: true,
    resource: resource.resource,
    resourceScopes: resource.scopes_supported,
  };
}
