import { isObject } from "../../protocol/is-object.js";
import { ProtocolError } from "../../protocol/protocol-error.js";
import type { AuthorizationServerMetadata, ProtectedResourceMetadata } from "./oauth-types.js";

/** A metadata fetch: `undefined` when the document is not there (any 4xx), so the next place is tried. */
async function fetchMetadata(
  fetchFn: typeof fetch,
  url: string,
): Promise<Record<string, unknown> | undefined> {
  let response: Response;
  try {
    response = await fetchFn(url, { headers: { accept: "application/json" } });
  } catch (error) {
    throw new ProtocolError(
      "connection-failed",
      `Could not fetch ${url}: ${(error as Error).message}`,
      { url },
      { cause: error },
    );
  }
  if (response.status >= 400 && response.status < 500) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ProtocolError("auth-discovery-failed", `${url} answered HTTP ${response.status}.`, {
      url,
      status: response.status,
    });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!isObject(body)) {
    throw new ProtocolError("auth-discovery-failed", `${url} is not a JSON object.`, { url });
  }
  return body;
}

/** `pathname` without trailing slashes; "" for the root. */
function trimmedPath(url: URL): string {
  return url.pathname.replace(/\/+$/, "");
}

/**
 * The MCP server's Protected Resource Metadata (RFC 9728): from the URL its 401 challenge named,
 * else the path-aware well-known URL, else the root one. `undefined` when the server has none (a
 * 2025-03-26 server); a named URL that fails is an error, since the server said it is there.
 */
export async function discoverProtectedResource(
  fetchFn: typeof fetch,
  serverUrl: URL,
  namedUrl: string | undefined,
): Promise<ProtectedResourceMetadata | undefined> {
  const path = trimmedPath(serverUrl);
  const candidates =
    namedUrl !== undefined
      ? [namedUrl]
      : [
          ...(path === "" ? [] : [`${serverUrl.origin}/.well-known/oauth-protected-resource${path}`]),
          `${serverUrl.origin}/.well-known/oauth-protected-resource`,
        ];
  for (const url of candidates) {
    const body = await fetchMetadata(fetchFn, url);
    if (body === undefined) continue;
    if (typeof body.resource !== "string") {
      throw new ProtocolError("auth-discovery-failed", `${url} has no "resource".`, { url });
    }
    return body as ProtectedResourceMetadata;
  }
  if (namedUrl !== undefined) {
    throw new ProtocolError(
      "auth-discovery-failed",
      `The protected resource metadata at ${namedUrl} is missing.`,
      {
        url: namedUrl,
      },
    );
  }
  return undefined;
}

/**
 * True when `resource` (the metadata's) identifies `serverUrl` or a parent of it: same origin,
 * and its path a whole-segment prefix of the server's (RFC 9728 §3.3 as MCP applies it; the
 * 2026-07-28 revision names the same rule). A token is never asked for another resource.
 */
export function resourceCovers(resource: string, serverUrl: URL): boolean {
  let parsed: URL;
  try {
    parsed = new URL(resource);
  } catch {
    return false;
  }
  if (parsed.origin !== serverUrl.origin || parsed.hash !== "") return false;
  const prefix = trimmedPath(parsed);
  const path = trimmedPath(serverUrl);
  return prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * The well-known URLs of an authorization server's metadata, in the order MCP asks for: RFC 8414
 * path insertion, OpenID Connect path insertion, OpenID Connect path appending (the last two
 * coincide for an issuer without a path).
 */
export function authorizationServerMetadataUrls(issuer: URL): string[] {
  const path = trimmedPath(issuer);
  const { origin } = issuer;
  if (path === "") {
    return [`${origin}/.well-known/oauth-authorization-server`, `${origin}/.well-known/openid-configuration`];
  }
  return [
    `${origin}/.well-known/oauth-authorization-server${path}`,
    `${origin}/.well-known/openid-configuration${path}`,
    `${origin}${path}/.well-known/openid-configuration`,
  ];
}

/** Issuers compare as strings, except for one trailing slash (`https://as` and `https://as/`). */
function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/$/, "") === b.replace(/\/$/, "");
}

/**
 * The metadata of the authorization server `issuer`, or `undefined` when none of its well-known
 * URLs has any. With `checkIssuer`, metadata whose `issuer` is another server's is refused (RFC
 * 8414 §3.3: a mix-up attack would send the user's code to that server's endpoints).
 */
export async function discoverAuthorizationServer(
  fetchFn: typeof fetch,
  issuer: string,
  checkIssuer: boolean,
): Promise<AuthorizationServerMetadata | undefined> {
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    throw new ProtocolError("auth-discovery-failed", `The authorization server ${issuer} is not a URL.`, {
      url: issuer,
    });
  }
  for (const url of authorizationServerMetadataUrls(issuerUrl)) {
    const body = await fetchMetadata(fetchFn, url);
    if (body === undefined) continue;
    if (typeof body.token_endpoint !== "string" || typeof body.issuer !== "string") {
      throw new ProtocolError("auth-discovery-failed", `${url} has no "issuer" or no "token_endpoint".`, {
        url,
      });
    }
    if (checkIssuer && !sameIssuer(body.issuer, issuer)) {
      throw new ProtocolError(
        "issuer-mismatch",
        `The metadata at ${url} is for the issuer ${body.issuer}, not ${issuer}.`,
        { expected: issuer, actual: body.issuer },
      );
    }
    return body as AuthorizationServerMetadata;
  }
  return undefined;
}
