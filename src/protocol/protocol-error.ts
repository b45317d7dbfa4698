import { ErrorCode } from "./error-codes.js";

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
 */
export class ProtocolError extends Error {
  override name = "ProtocolError";
  readonly code: number;
  readonly reason: string;
  readonly data: Record<string, unknown> | undefined;
  readonly [PROTOCOL_ERROR] = true;

  constructor(
    code: number,
    reason: string,
    message: string,
    data?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.reason = reason;
    this.data = data;
  }

  /** Rebuilds an error from its wire form (e.g. one stored on a task record). */
  static fromJSON(error: JsonRpcErrorObject): ProtocolError {
    const { reason, ...rest } = (
      typeof error.data === "object" && error.data !== null ? error.data : {}
    ) as Record<string, unknown>;
    return new ProtocolError(error.code, typeof reason === "string" ? reason : "error", error.message, rest);
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
    super(ErrorCode.ParseError, "parse-error", message, data);
  }
}

/** `-32600`: the message is not a valid JSON-RPC request. */
export class InvalidRequestError extends ProtocolError {
  override name = "InvalidRequestError";
  constructor(message: string, reason = "invalid-request", data?: Record<string, unknown>) {
    super(ErrorCode.InvalidRequest, reason, message, data);
  }
}

/** `-32601`: the method (or a required capability such as task execution) is not available. */
export class MethodNotFoundError extends ProtocolError {
  override name = "MethodNotFoundError";
  constructor(message: string, reason = "method-not-found", data?: Record<string, unknown>) {
    super(ErrorCode.MethodNotFound, reason, message, data);
  }
}

/** `-32602`: the parameters are invalid. `reason` says which rule failed. */
export class InvalidParamsError extends ProtocolError {
  override name = "InvalidParamsError";
  constructor(message: string, reason = "invalid-params", data?: Record<string, unknown>) {
    super(ErrorCode.InvalidParams, reason, message, data);
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
    reason = "internal-error",
    data?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(ErrorCode.InternalError, reason, message, data, options);
  }
}

/** `-32001`: the request (for example a tool call with a `timeout`) ran out of time. */
export class RequestTimeoutError extends ProtocolError {
  override name = "RequestTimeoutError";
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number, data?: Record<string, unknown>) {
    super(ErrorCode.RequestTimeout, "request-timeout", message, { timeoutMs, ...data });
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The wire form of any error: a {@link ProtocolError} keeps its code and data; anything else
 * becomes `-32603` without its message, since internal details do not belong on the wire.
 */
export function toJsonRpcError(error: unknown): JsonRpcErrorObject {
  if (isProtocolError(error)) return error.toJSON();
  return { code: ErrorCode.InternalError, message: "Internal error", data: { reason: "internal-error" } };
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
