import { InvalidRequestError } from "../../protocol/protocol-error.js";
import { quote } from "../../protocol/quote.js";
import { findRevision, REVISIONS } from "../../protocol/revisions.js";
import { isJsonContentType } from "./media-type.js";

/**
 * The request-header rules of Streamable HTTP that answer with an error (the transport picks the
 * HTTP status from its reason, see `protocol/error-reasons.ts`): each returns undefined when the header
 * is fine, so the common path allocates nothing.
 */

/** A POST body must be JSON (415 otherwise). */
export function contentTypeError(contentType: string | undefined): InvalidRequestError | undefined {
  if (contentType !== undefined && isJsonContentType(contentType)) return undefined;
  return new InvalidRequestError(
    `Content-Type must be application/json (charset utf-8, if any), got ${contentType === undefined ? "none" : quote(contentType)}.`,
    "unsupported-media-type",
  );
}

/**
 * `MCP-Protocol-Version` after initialize must be a version this server speaks, and not newer
 * than the session's negotiated one (400 otherwise): a client that claims a revision the session
 * did not agree on expects behaviour it will not get. The session's negotiated revision governs
 * either way. Passing: no header (its client predates it, and the spec lets a server that knows
 * the negotiated version use that), and an older supported version, which clients send as the
 * spec's fallback (the official conformance suite sends 2025-03-26 on 2025-11-25 sessions).
 */
export function protocolVersionError(
  version: string | undefined,
  negotiated: string | undefined,
): InvalidRequestError | undefined {
  if (version === undefined || version === negotiated) return undefined;
  if (findRevision(version) === undefined) {
    return new InvalidRequestError(
      `Unsupported MCP-Protocol-Version ${quote(version)}: supported are ${REVISIONS.map((r) => r.version).join(", ")}.`,
      "unsupported-protocol-version",
    );
  }
  // Revisions are dates: an ISO date string compares as the date does.
  if (negotiated === undefined || version < negotiated) return undefined;
  return new InvalidRequestError(
    `MCP-Protocol-Version ${quote(version)} is newer than this session's: initialize negotiated ${negotiated}, so send that (or start a new session to use ${version}).`,
    "protocol-version-mismatch",
    { negotiated },
  );
}

/**
 * A `Last-Event-ID` that is not one of our event ids (400): opening a fresh stream instead would
 * silently lose what the client asked to replay.
 */
export function invalidEventIdError(lastEventId: string): InvalidRequestError {
  return new InvalidRequestError(
    `Last-Event-ID ${quote(lastEventId)} is not an event id of this server (<stream>.<n>): resume with the id of an event you received, or omit the header.`,
    "invalid-event-id",
  );
}
