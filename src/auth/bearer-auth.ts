import type { AuthInfo } from "../protocol/auth-info.js";
import type { ErrorCode } from "../protocol/error-codes.js";
import { type ErrorReasonWithCode, WIRE_ERRORS } from "../protocol/error-reasons.js";
import { isProtocolError } from "../protocol/protocol-error.js";
import type { RequestInfo } from "../protocol/request-info.js";
import type { ResolvedAuth } from "./auth-options.js";
import { isScopeToken, missingScopes } from "./scopes.js";
import { INVALID_TOKEN_REASON } from "./token-verifier.js";
import { type BearerErrorCode, bearerChallenge } from "./www-authenticate.js";

/** The reasons a token check refuses a request for (rows of the error table with a 4xx status). */
type AuthRefusalReason =
  | "auth-required"
  | "malformed-authorization"
  | "token-in-query"
  | "invalid-token"
  | "insufficient-scope";

/** Why a request was refused, and how to answer it over HTTP. */
export interface AuthRefusal {
  readonly ok: false;
  /** 400 (malformed request), 401 (no or bad token), 403 (missing scope), 500 (the verifier failed). */
  readonly status: 400 | 401 | 403 | 500;
  /** The `reason` of the JSON-RPC error in the body (`token-verification-failed` for a 500). */
  readonly reason: ErrorReasonWithCode<typeof ErrorCode.InvalidRequest> | "token-verification-failed";
  readonly message: string;
  /** The `WWW-Authenticate` header; absent for a 500. */
  readonly challenge?: string;
  /** The verifier's own error, for the log (a 500). */
  readonly error?: unknown;
}

/** An accepted request: the caller's identity. */
export interface AuthAccepted {
  readonly ok: true;
  readonly auth: AuthInfo;
}

/** What a request presents for authentication: its headers and query string. */
export interface Credentials extends RequestInfo {
  /** The query string (`?…`, or `""`), where a token must not be. */
  readonly search?: string | undefined;
}

/** RFC 6750 §2.1 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function refuse(
  auth: ResolvedAuth,
  reason: AuthRefusalReason,
  message: string,
  code?: BearerErrorCode,
  scopes: readonly string[] = auth.requiredScopes,
): AuthRefusal {
  const challenge =
    code === undefined && scopes === auth.requiredScopes
      ? auth.challenge
      : bearerChallenge(
          auth.metadata.url,
          scopes,
          code === undefined ? undefined : { code, description: message },
        );
  // The status is the error table's, as for every other refusal of the HTTP front.
  const status = WIRE_ERRORS[reason].http;
  return { ok: false, status, reason, message, challenge };
}

/** True when the query string carries an `access_token` parameter (RFC 6750 §2.3). */
function tokenInQuery(search: string | undefined): boolean {
  return search !== undefined && search.length > 1 && new URLSearchParams(search).has("access_token");
}

/**
 * Authenticates one HTTP request as an OAuth 2.1 resource server (MCP 2025-11-25 "Authorization",
 * RFC 6750), in this order: a token in the query string is refused (400 `invalid_request`);
 * no `Authorization` header or another scheme asks for a token (401 without an error code);
 * a malformed Bearer credential is 400 `invalid_request`; the verifier's refusal, or a token past
 * its `expiresAt`, is 401 `invalid_token`; missing `requiredScopes` are 403 `insufficient_scope`.
 * Every refusal names the metadata URL and the scopes needed. No message ever holds the token.
 */
export async function authenticate(
  auth: ResolvedAuth,
  request: Credentials,
): Promise<AuthAccepted | AuthRefusal> {
  if (tokenInQuery(request.search)) {
    return refuse(
      auth,
      "token-in-query",
      "Access tokens must not be sent in the query string: send them in the Authorization header (Bearer).",
      "invalid_request",
    );
  }
  const header = request.header("authorization");
  if (header === undefined || header === "") {
    return refuse(
      auth,
      "auth-required",
      "This server needs an access token: send Authorization: Bearer <token>.",
    );
  }
  const space = header.indexOf(" ");
  const scheme = space === -1 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== "bearer") {
    return refuse(
      auth,
      "auth-required",
      "This server accepts only Bearer access tokens: send Authorization: Bearer <token>.",
    );
  }
  const token = header.slice(space + 1).trim();
  if (space === -1 || !B64TOKEN.test(token)) {
    return refuse(
      auth,
      "malformed-authorization",
      "The Authorization header is malformed: send exactly Authorization: Bearer <token>.",
      "invalid_request",
    );
  }
  let info: AuthInfo | undefined;
  try {
    info = await auth.verifyToken(token, request);
  } catch (error) {
    if (isProtocolError(error) && error.reason === INVALID_TOKEN_REASON) {
      return refuse(auth, INVALID_TOKEN_REASON, error.message, "invalid_token");
    }
    return {
      ok: false,
      status: 500,
      reason: "token-verification-failed",
      message: "The access token could not be verified: the server failed. Try again later.",
      error,
    };
  }
  if (info === undefined) {
    return refuse(auth, INVALID_TOKEN_REASON, "The access token was not accepted.", "invalid_token");
  }
  if (typeof info !== "object" || typeof info.subject !== "string" || !Array.isArray(info.scopes)) {
    return {
      ok: false,
      status: 500,
      reason: "token-verification-failed",
      message: "The access token could not be verified: the server failed. Try again later.",
      error: new TypeError(
        "auth.verifyToken resolved with something that is not an AuthInfo { subject, scopes }.",
      ),
    };
  }
  if (typeof info.expiresAt === "number" && info.expiresAt * 1000 <= Date.now()) {
    return refuse(auth, INVALID_TOKEN_REASON, "The access token expired: get a new one.", "invalid_token");
  }
  const missing = missingScopes(auth.requiredScopes, info.scopes);
  if (missing.length > 0) {
    // Granted and needed scopes together, so a step-up does not lose what the client had (only
    // well-formed names: they go into a quoted header parameter).
    const scopes = [...new Set([...info.scopes.filter(isScopeToken), ...auth.requiredScopes])];
    return refuse(
      auth,
      "insufficient-scope",
      `The access token lacks the scope${missing.length === 1 ? "" : "s"} ${missing.join(" ")} this server needs.`,
      "insufficient_scope",
      scopes,
    );
  }
  return { ok: true, auth: info };
}
