/**
 * `WWW-Authenticate: Bearer …` challenges (RFC 6750 §3, RFC 9728 §5.1). Parameter values are
 * quoted strings; an `error_description` keeps to the characters RFC 6750 allows (printable ASCII
 * without `"` and `\`), so a message can never break the header.
 */

/** The RFC 6750 error codes. */
export type BearerErrorCode = "invalid_request" | "invalid_token" | "insufficient_scope";

/** Printable ASCII without `"` and `\` (RFC 6750 §3 `error_description`). */
function descriptionText(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, " ");
}

/**
 * A Bearer challenge: `resource_metadata` and `scope` always (when there are scopes to name),
 * `error` and `error_description` when the request carried credentials that failed.
 */
export function bearerChallenge(
  metadataUrl: string,
  scopes: readonly string[],
  error?: { code: BearerErrorCode; description: string },
): string {
  let header = `Bearer resource_metadata="${metadataUrl}"`;
  if (scopes.length > 0) header += `, scope="${scopes.join(" ")}"`;
  if (error !== undefined) {
    header += `, error="${error.code}", error_description="${descriptionText(error.description)}"`;
  }
  return header;
}
