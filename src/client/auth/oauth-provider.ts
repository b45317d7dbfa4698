import type { CryptoKey } from "jose";
import type { OAuthClientMetadata, TokenEndpointAuthMethod } from "./oauth-types.js";
import type { TokenStorage } from "./token-storage.js";

/**
 * A JWT bearer assertion grant (RFC 7523 §2.1): the client trades an assertion it got elsewhere
 * (an enterprise IdP's ID-JAG, a workload identity token) for an access token.
 */
export interface JwtBearerGrant {
  type: "jwt-bearer";
  /** The assertion for this authorization server and resource (fetch a fresh one each time). */
  assertion(target: { issuer: string; resource: string | undefined }): Promise<string>;
}

/** The grants the client runs: see {@link OAuthClientProvider.grant}. */
export type OAuthGrant = "authorization_code" | "client_credentials" | JwtBearerGrant;

/**
 * What the host tells the client about itself for OAuth (the `auth` option of `Client.connect`).
 * The client does the protocol: discovery, registration, PKCE, token requests, refresh, step-up,
 * the issuer and resource checks. The host does what only it can: show the user the authorization
 * page and hand back where the browser was redirected to ({@link authorize}), and say who the
 * client is (a pre-registered id, a metadata document URL, or metadata to register with).
 *
 * ```ts
 * const client = await Client.connect(url, {
 *   auth: {
 *     redirectUrl: "http://127.0.0.1:8765/callback",
 *     clientMetadataUrl: "https://app.example.com/oauth/client.json",
 *     clientMetadata: { client_name: "My host" },
 *     authorize: (url) => openBrowserAndWaitForRedirect(url),
 *   },
 * });
 * ```
 */
export interface OAuthClientProvider {
  /**
   * `authorization_code` (default): a user signs in, with PKCE. `client_credentials`: the client
   * acts for itself with its pre-registered credentials. Or a {@link JwtBearerGrant}.
   */
  grant?: OAuthGrant;
  /** Where the authorization server sends the browser back (authorization code grant). */
  redirectUrl?: string;
  /**
   * Sends the user to `authorizationUrl` (open a browser, print it) and resolves with the full
   * URL the authorization server redirected the browser to: `redirectUrl` with `code`, `state`
   * and `iss`, or with `error`. The client checks all of them. Reject to abandon authorization.
   */
  authorize?(authorizationUrl: URL): Promise<string | URL>;
  /** A pre-registered client id: used at every authorization server, no registration. */
  clientId?: string;
  /** The pre-registered client's secret (`client_secret_basic` or `client_secret_post`). */
  clientSecret?: string;
  /**
   * The pre-registered client's private key for `private_key_jwt` (RFC 7523 §2.2): a PKCS#8 PEM
   * string or a `CryptoKey`. Signing loads `jose` on first use.
   */
  privateKey?: string | CryptoKey;
  /** The JWS algorithm of `privateKey` (default `RS256`). */
  signingAlgorithm?: string;
  /** How a pre-registered client authenticates at the token endpoint (default: from the server's list). */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /**
   * The HTTPS URL of this client's metadata document (SEP-991): its `client_id` wherever the
   * authorization server supports `client_id_metadata_document_supported`, so no registration.
   */
  clientMetadataUrl?: string;
  /** Client metadata for dynamic registration (RFC 7591): `client_name`, `logo_uri` … */
  clientMetadata?: OAuthClientMetadata;
  /** Scopes to ask for when neither the server's challenge nor its metadata names any. */
  scope?: string;
  /**
   * Ask for `offline_access` (a refresh token) when the authorization server lists it in
   * `scopes_supported` (SEP-2207). Default true.
   */
  offlineAccess?: boolean;
  /** Where tokens and registrations are kept (default: a {@link MemoryTokenStorage} of this client). */
  storage?: TokenStorage;
  /**
   * How many times one request may be retried with a fresh token before the client gives up
   * with `authorization-retry-limit` (each 401, or 403 `insufficient_scope` step-up, is one). Default 3.
   */
  maxAuthorizationAttempts?: number;
}
