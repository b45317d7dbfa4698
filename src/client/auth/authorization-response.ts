import { ProtocolError } from "../../protocol/protocol-error.js";

/** What the client expects of the authorization response it is handed back. */
export interface ExpectedResponse {
  state: string;
  /** The issuer of the metadata the request was built from; undefined for a server without metadata. */
  issuer: string | undefined;
  /** The metadata promised `iss` (RFC 9207 `authorization_response_iss_parameter_supported`). */
  issRequired: boolean;
}

/**
 * The authorization code of the response the browser was redirected with (RFC 6749 §4.1.2),
 * after the checks that keep a code from the wrong server or the wrong flow out: `iss` exactly
 * the issuer (RFC 9207, simple string comparison, before anything else is read), `state` ours,
 * no `error`.
 */
export function authorizationCode(redirected: string | URL, expected: ExpectedResponse): string {
  let url: URL;
  try {
    url = new URL(redirected);
  } catch {
    throw new ProtocolError("authorization-failed", "The authorization response is not a URL.");
  }
  const params = url.searchParams;
  const iss = params.get("iss");
  if (expected.issuer !== undefined && (iss !== null || expected.issRequired) && iss !== expected.issuer) {
    const message =
      iss === null
        ? `The authorization response has no "iss", though ${expected.issuer} promised one (RFC 9207).`
        : `The authorization response comes from the issuer ${iss}, not ${expected.issuer} (RFC 9207).`;
    throw new ProtocolError("issuer-mismatch", message, { expected: expected.issuer, actual: iss });
  }
  if (params.get("state") !== expected.state) {
    throw new ProtocolError(
      "authorization-failed",
      "The authorization response's state is not this client's.",
    );
  }
  const error = params.get("error");
  if (error !== null) {
    const description = params.get("error_description");
    throw new ProtocolError(
      "authorization-failed",
      `The authorization server refused: ${error}${description ? `: ${description}` : ""}.`,
      { error, ...(description === null ? {} : { errorDescription: description }) },
    );
  }
  const code = params.get("code");
  if (code === null || code === "") {
    throw new ProtocolError("authorization-failed", "The authorization response has no code.");
  }
  return code;
}
