import type { CryptoKey } from "jose";
import { isObject } from "../../protocol/is-object.js";
import { ProtocolError } from "../../protocol/protocol-error.js";
import { toBase64 } from "../../util/base64.js";
import type {
  AuthorizationServerMetadata,
  OAuthClientInformation,
  OAuthTokens,
  TokenEndpointAuthMethod,
} from "./oauth-types.js";
import { randomToken } from "./pkce.js";

/** The client as the token endpoint sees it: its identity and how it proves it. */
export interface TokenClient {
  info: OAuthClientInformation;
  method: TokenEndpointAuthMethod;
  privateKey?: string | CryptoKey;
  signingAlgorithm?: string;
}

/**
 * How a client with this identity authenticates at `metadata`'s token endpoint: a private key
 * signs (`private_key_jwt`); the method the registration named; none without a secret; else
 * `client_secret_basic` unless the server lists only `client_secret_post` (RFC 8414: a server
 * that lists nothing supports basic).
 */
export function selectAuthMethod(
  info: OAuthClientInformation,
  metadata: AuthorizationServerMetadata,
  hasPrivateKey: boolean,
): TokenEndpointAuthMethod {
  if (hasPrivateKey) return "private_key_jwt";
  const named = info.token_endpoint_auth_method;
  if (named === "client_secret_basic" || named === "client_secret_post" || named === "none") return named;
  if (info.client_secret === undefined) return "none";
  const supported = metadata.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
  if (!supported.includes("client_secret_basic") && supported.includes("client_secret_post")) {
    return "client_secret_post";
  }
  return "client_secret_basic";
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
function basicCredentials(id: string, secret: string): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, "+");
  return `Basic ${toBase64(new TextEncoder().encode(`${encode(id)}:${encode(secret)}`))}`;
}

/** A `private_key_jwt` assertion (RFC 7523 §3): iss = sub = client id, aud = the issuer. */
async function clientAssertion(client: TokenClient, metadata: AuthorizationServerMetadata): Promise<string> {
  // jose is loaded here, at the first signed request, so a client without it never pays for it.
  const { importPKCS8, SignJWT } = await import("jose");
  const algorithm = client.signingAlgorithm ?? "RS256";
  const key =
    typeof client.privateKey === "string"
      ? await importPKCS8(client.privateKey, algorithm)
      : client.privateKey;
  if (key === undefined) throw new Error("private_key_jwt needs a private key");
  return new SignJWT({})
    .setProtectedHeader({ alg: algorithm, typ: "JWT" })
    .setIssuer(client.info.client_id)
    .setSubject(client.info.client_id)
    .setAudience(metadata.issuer)
    .setJti(randomToken(16))
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
}

/** Adds the client's authentication to a token request's headers and body. */
async function authenticate(
  client: TokenClient,
  metadata: AuthorizationServerMetadata,
  headers: Record<string, string>,
  body: URLSearchParams,
): Promise<void> {
  const { client_id: id, client_secret: secret } = client.info;
  switch (client.method) {
    case "client_secret_basic":
      headers.authorization = basicCredentials(id, secret ?? "");
      return;
    case "client_secret_post":
      body.set("client_id", id);
      body.set("client_secret", secret ?? "");
      return;
    case "private_key_jwt":
      body.set("client_id", id);
      body.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      body.set("client_assertion", await clientAssertion(client, metadata));
      return;
    default:
      body.set("client_id", id);
  }
}

/**
 * One token request (RFC 6749 §3.2) with `params` (grant_type and its parameters), the client
 * authenticated as it should be. Resolves with the tokens, `expires_at` computed; rejects with
 * `authorization-failed` carrying the server's `error` and `error_description`, never its body.
 */
export async function requestToken(
  fetchFn: typeof fetch,
  metadata: AuthorizationServerMetadata,
  client: TokenClient,
  params: Record<string, string | undefined>,
): Promise<OAuthTokens> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) body.set(name, value);
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  };
  await authenticate(client, metadata, headers, body);
  let response: Response;
  try {
    response = await fetchFn(metadata.token_endpoint, { method: "POST", headers, body });
  } catch (error) {
    const message = `Could not reach the token endpoint ${metadata.token_endpoint}: ${(error as Error).message}`;
    throw new ProtocolError("connection-failed", message, { url: metadata.token_endpoint }, { cause: error });
  }
  const answer: unknown = await response.json().catch(() => undefined);
  const grant = params.grant_type;
  if (!response.ok || !isObject(answer) || typeof answer.access_token !== "string") {
    const error = isObject(answer) && typeof answer.error === "string" ? answer.error : undefined;
    const description =
      isObject(answer) && typeof answer.error_description === "string" ? answer.error_description : undefined;
    const why =
      error === undefined ? `HTTP ${response.status}` : `${error}${description ? `: ${description}` : ""}`;
    throw new ProtocolError("authorization-failed", `The ${grant} token request was refused (${why}).`, {
      status: response.status,
      ...(error === undefined ? {} : { error }),
      ...(description === undefined ? {} : { errorDescription: description }),
    });
  }
  const tokens = { ...answer, token_type: String(answer.token_type ?? "Bearer") } as OAuthTokens;
  if (typeof tokens.expires_in === "number") tokens.expires_at = Date.now() + tokens.expires_in * 1000;
  return tokens;
}
