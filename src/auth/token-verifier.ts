import type { AuthInfo } from "../protocol/auth-info.js";
import { InvalidRequestError } from "../protocol/protocol-error.js";
import type { RequestInfo } from "../protocol/request-info.js";

/**
 * Turns a bearer access token into the caller's identity. Resolve with `undefined` (or throw
 * {@link invalidToken}) to refuse the token: the client gets `401 invalid_token`. Any other error
 * is the verifier's own failure (an unreachable JWKS endpoint): `500`, logged without the token.
 *
 * A verifier MUST check that the token was issued for this server (its audience / resource,
 * RFC 8707), its issuer, signature and expiry; {@link jwtVerifier} does all of that for JWTs.
 */
export type TokenVerifier = (
  token: string,
  request: RequestInfo,
) => AuthInfo | undefined | Promise<AuthInfo | undefined>;

/** A verifier that knows the audiences it accepts (the server checks they name its resource). */
export interface AudienceBoundVerifier extends TokenVerifier {
  readonly audiences: readonly string[];
}

/** The reason of a refused token (HTTP `401`, `error="invalid_token"`). */
export const INVALID_TOKEN_REASON = "invalid-token";

/**
 * The error a verifier throws to refuse a token with a message that helps the client (it becomes
 * the `error_description`). Never put the token, or any part of it, in the message.
 */
export function invalidToken(message: string): InvalidRequestError {
  return new InvalidRequestError(message, INVALID_TOKEN_REASON);
}
