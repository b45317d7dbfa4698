import { wireErrorOf } from "../../protocol/error-reasons.js";
import type { JsonRpcId } from "../../protocol/jsonrpc.js";
import { errorResponse } from "../../protocol/jsonrpc.js";
import { InvalidRequestError, type ProtocolError } from "../../protocol/protocol-error.js";
import type { HttpExchange } from "./exchange.js";

const JSON_HEADERS = { "content-type": "application/json" };

/**
 * Refuses the request with `error`, under the HTTP status the reason table gives its reason
 * (every reason an HTTP front refuses with has one: docs/errors.md lists them).
 */
export function refuse(exchange: HttpExchange, id: JsonRpcId | null, error: ProtocolError): void {
  const status = wireErrorOf(error.reason)?.http ?? 400;
  exchange.respond(status, JSON_HEADERS, JSON.stringify(errorResponse(id, error.toJSON())));
}

/** 405: about the HTTP method, not the message (invalid-request is 400 everywhere else). */
export function methodNotAllowed(exchange: HttpExchange, allow: string): void {
  const error = new InvalidRequestError(
    `Method ${exchange.method} is not allowed here: use ${allow.replace(/, (?=[A-Z]+$)/, " or ")}.`,
  );
  exchange.respond(405, { allow, ...JSON_HEADERS }, JSON.stringify(errorResponse(null, error.toJSON())));
}
