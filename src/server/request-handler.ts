import type { Cancellation } from "../context/context.js";
import type { JsonRpcRequest } from "../protocol/jsonrpc.js";
import { InvalidParamsError } from "../protocol/protocol-error.js";
import { quote } from "../protocol/quote.js";
import type { ServerCore } from "./server-core.js";
import type { Session } from "./session.js";

/**
 * Everything a method handler gets for one request. As a {@link Cancellation}, `aborted` and
 * `reason` tell about the request's cancellation without building its signal.
 */
export interface RequestCall extends Cancellation {
  readonly core: ServerCore;
  readonly session: Session;
  readonly request: JsonRpcRequest;
  readonly params: Record<string, unknown>;
  /** Aborted by `notifications/cancelled`, the session ending or the server closing. */
  readonly signal: AbortSignal;
}

/** Serves one JSON-RPC method; resolves with the `result` object or throws a `ProtocolError`. */
export type RequestHandler = (
  call: RequestCall,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** A required string parameter. @throws {InvalidParamsError} naming the method and parameter. */
export function stringParam(call: RequestCall, name: string): string {
  const value = call.params[name];
  if (typeof value !== "string" || value.length === 0) {
    throw new InvalidParamsError(
      `${call.request.method} needs "${name}" as a non-empty string, got ${value === undefined ? "nothing" : quote(value)}.`,
      "invalid-params",
      { parameter: name },
    );
  }
  return value;
}

/** An optional object parameter. @throws {InvalidParamsError} when present but not an object. */
export function objectParam(call: RequestCall, name: string): Record<string, unknown> | undefined {
  const value = call.params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidParamsError(`${call.request.method} needs "${name}" as an object.`, "invalid-params", {
      parameter: name,
    });
  }
  return value as Record<string, unknown>;
}
