import { ErrorCode } from "../../protocol/error-codes.js";
import { ProtocolError } from "../../protocol/protocol-error.js";

/**
 * JSON-RPC code for "the server has too many sessions". The same implementation-defined server
 * error as "too many tasks" (`-32005`): both say that a capacity limit is reached and the request
 * may succeed later, which no standard code (`-32600` invalid request, `-32603` internal error) says.
 */
export const SESSION_LIMIT_ERROR_CODE = ErrorCode.LimitExceeded;

/**
 * `-32005` with reason `session-limit-exceeded`: the server already has `maxSessions` open
 * sessions, so a new one is refused (over HTTP: `503` with `Retry-After`). Open sessions are not
 * affected; one becomes free when a client ends its session or it times out as idle.
 */
export class SessionLimitError extends ProtocolError {
  override name = "SessionLimitError";
  readonly limit: number;
  constructor(limit: number) {
    super(
      "session-limit-exceeded",
      `The server already has its maximum of ${limit} open sessions (maxSessions), so it cannot ` +
        "open another one now. Retry later; sessions free up when clients end them (HTTP DELETE) " +
        "or they time out as idle.",
      { limit },
    );
    this.limit = limit;
  }
}
