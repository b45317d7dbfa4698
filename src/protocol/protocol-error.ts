import { ErrorCode } from "./error-codes.js";
import { type ErrorReason, type ErrorReasonWithCode, WIRE_ERRORS, wireErrorOf } from "./error-reasons.js";

const PROTOCOL_ERROR = Symbol.for("fastestmcp.ProtocolError");

/** The JSON-RPC error object as it travels on the wire. */
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * An error that crosses the wire as a JSON-RPC error: a stable numeric `code` and a stable,
 * kebab-case `reason` (sent in `data.reason`) that clients can branch on without parsing `message`.
 * The reason picks the code from {@link WIRE_ERRORS}, so the two always agree. To send a code or
 * reason outside that table (an error of your own protocol), build it with {@link ProtocolError.fromJSON}.
 */
export class ProtocolError extends Error {
  override name = "ProtocolError";
  readonly code: number;
  /**
   * One of {@link ErrorReason} for errors this package raises. An error rebuilt from a peer's
   * wire form ({@link ProtocolError.fromJSON}) keeps the peer's reason, which may be any string.
   */
  readonly reason: string;
  readonly data: Record<string, unknown> | undefined;
  readonly [PROTOCOL_ERROR] = true;

  constructor(reason: ErrorReason, message?: string, data?: Record<string, unknown>, options?: ErrorOptions) {
    // A JavaScript caller may pass a reason outside the table: it is then an internal error.
    const spec = wireErrorOf(reason);
    super(message ?? spec?.message ?? WIRE_ERRORS["internal-error"].message, options);
    this.code = spec?.code ?? ErrorCode.InternalError;
    this.reason = reason;
    this.data = data;
  }

  /**
   * Rebuilds an error from its wire form (e.g. one stored on a task record, or a server's answer):
   * the code and reason stay as sent, even outside {@link WIRE_ERRORS}; no `data.reason` gives
   * reason `error`.
   */
  static fromJSON(error: JsonRpcErrorObject): ProtocolError {
    const { reason, ...rest } = (
      typeof error.data === "object" && error.data !== null ? error.data : {}
    ) as Record<string, unknown>;
    const rebuilt = new ProtocolError("error", error.message, rest);
    const asSent = rebuilt as { code: number; reason: string };
    asSent.code = error.code;
    if (typeof reason === "string") asSent.reason = reason;
    return rebuilt;
  }

  /** The JSON-RPC error object for this error: `data` carries `reason` plus any details. */
  toJSON(): JsonRpcErrorObject {
    return { code: this.code, message: this.message, data: { ...this.data, reason: this.reason } };
  }
}

/** `-32700`: the bytes received were not valid JSON. */
export class ParseError extends ProtocolError {
  override name = "ParseError";
  constructor(message: string, data?: Record<string, unknown>) {
    super("parse-error", message, data);
  }
}

/** `-32600`: the message is not a valid JSON-RPC request. */
export class InvalidRequestError extends ProtocolError {
  override name = "InvalidRequestError";
  constructor(
    message: string,
    reason: ErrorReasonWithCode<typeof ErrorCode.InvalidRequest> = "invalid-request",
    data?: Record<string, unknown>,
  ) {
    super(reason, message, data);
  }
}

/** `-32601`: the method (or a required capability such as task execution) is not available. */
export class MethodNotFoundError extends ProtocolError {
  override name = "MethodNotFoundError";
  constructor(
    message: string,
    reason: ErrorReasonWithCode<typeof ErrorCode.MethodNotFound> = "method-not-found",
    data?: Record<string, unknown>,
  ) {
    super(reason, message, data);
  }
}

/** `-32602`: the parameters are invalid. `reason` says which rule failed. */
export class InvalidParamsError extends ProtocolError {
  override name = "InvalidParamsError";
  constructor(
    message: string,
    reason: ErrorReasonWithCode<typeof ErrorCode.InvalidParams> = "invalid-params",
    data?: Record<string, unknown>,
  ) {
    super(reason, message, data);
  }
}

/** `-32602` with reason `tool-not-found`: no tool of that name is registered. */
export class ToolNotFoundError extends InvalidParamsError {
  override name = "ToolNotFoundError";
  readonly tool: string;
  constructor(tool: string) {
    super(`Unknown tool: "${tool}". Call tools/list to see the available tools.`, "tool-not-found", { tool });
    this.tool = tool;
  }
}

/** `-32603`: something failed inside the server. */
export class InternalError extends ProtocolError {
  override name = "InternalError";
  constructor(
    message: string,
    reason: ErrorReasonWithCode<typeof ErrorCode.InternalError> = "internal-error",
    data?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(reason, message, data, options);
  }
}

/**
 * `-32001`: the request (for example a tool call with a `timeout`) ran out of time. `reason` names
 * the limit: `request-timeout` for a `timeout` (on the client: no progress for that long),
 * `request-total-timeout` for the client's hard cap `maxTotalTimeout`.
 */
export class RequestTimeoutError extends ProtocolError {
  override name = "RequestTimeoutError";
  readonly timeoutMs: number;
  constructor(
    message: string,
    timeoutMs: number,
    data?: Record<string, unknown>,
    reason: ErrorReasonWithCode<typeof ErrorCode.RequestTimeout> = "request-timeout",
  ) {
    super(reason, message, { timeoutMs, ...data });
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The wire form of any error: a {@link ProtocolError} keeps its code and data; anything else
 * becomes `-32603` without its message, since internal details do not belong on the wire.
 */
export function toJsonRpcError(error: unknown): JsonRpcErrorObject {
  if (isProtocolError(error)) return error.toJSON();
  return new ProtocolError("internal-error").toJSON();
}

/** Alias kept for readers coming from the official SDK, where this family is called `McpError`. */
export { ProtocolError as McpError };

/** True for any {@link ProtocolError}, even one from another copy of this package. */
export function isProtocolError(value: unknown): value is ProtocolError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [PROTOCOL_ERROR]?: unknown })[PROTOCOL_ERROR] === true
  );
}
