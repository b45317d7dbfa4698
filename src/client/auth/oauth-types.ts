/**
 * The OAuth documents the client reads and keeps, as their RFCs name the fields (snake_case on
 * the wire, so a stored record or a metadata document round-trips unchanged).
 */

/** A token endpoint answer (RFC 6749 §5.1), with `expires_at` added when it is stored. */
export interface OAuthTokens {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  /** Lifetime in seconds, as the authorization server sent it. */
  expires_in?: number;
  /** Unix time in ms when the access token expires, computed at receipt from `expires_in`. */
  expires_at?: number;
  /** The scopes granted, space-separated (RFC 6749 §3.3). */
  scope?: string;
}

/** Protected Resource Metadata (RFC 9728 §2): what the MCP server says about itself. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers?: string[];
  scopes_supported?: string[];
  [field: string]: unknown;
}

/** Authorization Server Metadata (RFC 8414 §2, OpenID Connect Discovery), the fields used here. */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint: string;
  registration_endpoint?: string;
  scopes_supported?: string[];
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  grant_types_supported?: string[];
  /** SEP-991: the server accepts an HTTPS URL of a client metadata document as `client_id`. */
  client_id_metadata_document_supported?: boolean;
  /** RFC 9207: the authorization response carries `iss`. */
  authorization_response_iss_parameter_supported?: boolean;
  [field: string]: unknown;
}

/** How the client authenticates at the token endpoint (RFC 7591 §2). */
export type TokenEndpointAuthMethod =
  | "client_secret_basic"
  | "client_secret_post"
  | "private_key_jwt"
  | "none";

/** Client metadata (RFC 7591 §2): what dynamic registration sends and a metadata document holds. */
export interface OAuthClientMetadata {
  client_name?: string;
  redirect_uris?: string[];
  grant_types?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: string;
  /** `native` (loopback or custom-scheme redirects) or `web`; derived from the redirect URL when absent. */
  application_type?: string;
  scope?: string;
  [field: string]: unknown;
}

/** The client's identity at one authorization server: pre-registered or dynamically registered. */
export interface OAuthClientInformation {
  client_id: string;
  client_secret?: string;
  /** Unix time in seconds when the secret expires (RFC 7591 §3.2.1); 0 or absent: never. */
  client_secret_expires_at?: number;
  token_endpoint_auth_method?: string;
  [field: string]: unknown;
}
