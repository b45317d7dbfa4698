import { isObject } from "../../protocol/is-object.js";
import { ProtocolError } from "../../protocol/protocol-error.js";
import type { OAuthClientProvider } from "./oauth-provider.js";
import type {
  AuthorizationServerMetadata,
  OAuthClientInformation,
  OAuthClientMetadata,
} from "./oauth-types.js";
import type { TokenStorage } from "./token-storage.js";

/** `native` for loopback and custom-scheme redirects (an app on the user's machine), else `web`. */
function applicationType(redirectUrl: string): string {
  const url = new URL(redirectUrl);
  if (url.protocol !== "http:" && url.protocol !== "https:") return "native";
  return ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname) ? "native" : "web";
}

/** The authentication method to register with: none when the server takes public clients. */
function registrationAuthMethod(metadata: AuthorizationServerMetadata): string {
  const supported = metadata.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
  if (supported.includes("none")) return "none";
  return supported.includes("client_secret_basic") || !supported.includes("client_secret_post")
    ? "client_secret_basic"
    : "client_secret_post";
}

/** RFC 7591 dynamic registration at `metadata.registration_endpoint`. */
async function register(
  fetchFn: typeof fetch,
  endpoint: string,
  metadata: AuthorizationServerMetadata,
  provider: OAuthClientProvider,
  redirectUrl: string,
): Promise<OAuthClientInformation> {
  const document: OAuthClientMetadata = {
    client_name: "fastestmcp-client",
    redirect_uris: [redirectUrl],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: registrationAuthMethod(metadata),
    application_type: applicationType(redirectUrl),
    ...provider.clientMetadata,
  };
  let response: Response;
  try {
    response = await fetchFn(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(document),
    });
  } catch (error) {
    const message = `Could not reach the registration endpoint ${endpoint}: ${(error as Error).message}`;
    throw new ProtocolError("connection-failed", message, { url: endpoint }, { cause: error });
  }
  const answer: unknown = await response.json().catch(() => undefined);
  if (!response.ok || !isObject(answer) || typeof answer.client_id !== "string") {
    const error = isObject(answer) && typeof answer.error === "string" ? answer.error : undefined;
    const description =
      isObject(answer) && typeof answer.error_description === "string" ? answer.error_description : undefined;
    throw new ProtocolError(
      "authorization-failed",
      `Dynamic client registration at ${endpoint} failed (${error ?? `HTTP ${response.status}`}${description ? `: ${description}` : ""}).`,
      {
        status: response.status,
        ...(error ? { error } : {}),
        ...(description ? { errorDescription: description } : {}),
      },
    );
  }
  const info = answer as OAuthClientInformation;
  // A server that does not echo the method uses what was asked for (RFC 7591 §3.2.1).
  info.token_endpoint_auth_method ??= document.token_endpoint_auth_method;
  return info;
}

/** False for a registration whose secret has expired (RFC 7591 §3.2.1). */
function stillValid(info: OAuthClientInformation): boolean {
  const expiresAt = info.client_secret_expires_at;
  return expiresAt === undefined || expiresAt === 0 || expiresAt * 1000 > Date.now();
}

/**
 * Who the client is at this authorization server, in the order MCP prefers: pre-registered
 * credentials; a registration kept from before; its metadata document URL where the server
 * supports those (SEP-991); dynamic registration (RFC 7591), kept for next time.
 */
export async function clientIdentity(
  fetchFn: typeof fetch,
  provider: OAuthClientProvider,
  storage: TokenStorage,
  metadata: AuthorizationServerMetadata,
): Promise<OAuthClientInformation> {
  if (provider.clientId !== undefined) {
    return {
      client_id: provider.clientId,
      ...(provider.clientSecret === undefined ? {} : { client_secret: provider.clientSecret }),
      ...(provider.tokenEndpointAuthMethod === undefined
        ? {}
        : { token_endpoint_auth_method: provider.tokenEndpointAuthMethod }),
    };
  }
  const kept = await storage.getClient(metadata.issuer);
  if (kept !== undefined && stillValid(kept)) return kept;
  if (provider.clientMetadataUrl !== undefined && metadata.client_id_metadata_document_supported === true) {
    return { client_id: provider.clientMetadataUrl, token_endpoint_auth_method: "none" };
  }
  const redirectUrl = provider.redirectUrl;
  if (metadata.registration_endpoint !== undefined && redirectUrl !== undefined) {
    const info = await register(fetchFn, metadata.registration_endpoint, metadata, provider, redirectUrl);
    await storage.setClient(metadata.issuer, info);
    return info;
  }
  throw new ProtocolError(
    "authorization-failed",
    `No way to identify this client to ${metadata.issuer}: give a pre-registered clientId, ` +
      "or a clientMetadataUrl for a server that supports metadata documents, or a redirectUrl for one with a registration endpoint.",
    { issuer: metadata.issuer },
  );
}
