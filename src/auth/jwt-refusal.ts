import type { InvalidRequestError } from "../protocol/protocol-error.js";
import { invalidToken } from "./token-verifier.js";

/** What `jose` reports about a token it refused: its error `code`, and the claim for claim errors. */
interface JoseFailure {
  code?: unknown;
  claim?: unknown;
  reason?: unknown;
  payload?: { exp?: unknown };
}

/** Messages for the claims a check can fail on (the token's values are never quoted). */
const CLAIM_MESSAGES: Record<string, string> = {
  aud: "The access token was not issued for this resource (its audience does not name it): request a token with this server's resource indicator.",
  iss: "The access token was issued by an authorization server this resource does not trust.",
  nbf: "The access token is not valid yet (nbf).",
  iat: "The access token's issue time (iat) is not acceptable.",
  sub: "The access token names no subject (sub).",
  exp: "The access token has no expiry (exp).",
};

function expiredMessage(failure: JoseFailure): string {
  const exp = failure.payload?.exp;
  return typeof exp === "number" && Number.isFinite(exp)
    ? `The access token expired at ${new Date(exp * 1000).toISOString()}: get a new one.`
    : "The access token expired: get a new one.";
}

/**
 * The `401 invalid_token` refusal for a `jose` verification error, with a message that says what
 * is wrong; `undefined` for an error that is not the token's fault (a JWKS endpoint that is down
 * or answers garbage), which the caller rethrows as the verifier's own failure.
 */
export function tokenRefusal(error: unknown): InvalidRequestError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const failure = error as JoseFailure;
  switch (failure.code) {
    case "ERR_JWT_EXPIRED":
      return invalidToken(expiredMessage(failure));
    case "ERR_JWT_CLAIM_VALIDATION_FAILED": {
      const claim = typeof failure.claim === "string" ? failure.claim : "";
      if (failure.reason === "missing" && claim !== "") {
        return invalidToken(`The access token lacks the required "${claim}" claim.`);
      }
      return invalidToken(CLAIM_MESSAGES[claim] ?? "A claim of the access token failed validation.");
    }
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return invalidToken("The access token's signature does not verify.");
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return invalidToken("The access token is signed with an algorithm this resource does not accept.");
    case "ERR_JWKS_NO_MATCHING_KEY":
      return invalidToken("No key of the authorization server matches the access token's key id (kid).");
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return invalidToken("The access token's key id (kid) matches several keys: it cannot be verified.");
    case "ERR_JOSE_NOT_SUPPORTED":
      return invalidToken("The access token uses an algorithm or key type this resource does not support.");
    case "ERR_JWS_INVALID":
    case "ERR_JWT_INVALID":
    case "ERR_JWE_INVALID":
      return invalidToken("The access token is not a well-formed signed JWT.");
    default:
      return undefined;
  }
}
