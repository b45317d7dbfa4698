/**
 * JSON-RPC 2.0 and MCP error codes. These numbers cross the wire, so they never change.
 * @see https://www.jsonrpc.org/specification#error_object
 */
export const ErrorCode = {
  /** Invalid JSON was received. */
  ParseError: -32700,
  /** The JSON sent is not a valid request object. */
  InvalidRequest: -32600,
  /** The method (or the named tool/task) does not exist or is not available. */
  MethodNotFound: -32601,
  /** Invalid method parameters: unknown tool, invalid arguments, invalid progress. */
  InvalidParams: -32602,
  /** Internal error on the server side. */
  InternalError: -32603,
  /** The connection to the peer failed or closed (MCP SDK convention); raised by the client only. */
  ConnectionClosed: -32000,
  /** The request did not finish within its time limit (MCP SDK convention). */
  RequestTimeout: -32001,
  /** No resource serves the URI: the number MCP 2025-11-25 specifies for `resources/read`. */
  ResourceNotFound: -32002,
  /** A capacity limit is reached (too many tasks, too many sessions); the request may succeed later. */
  LimitExceeded: -32005,
  /** MCP 2026-07-28: a standard HTTP header (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`) disagrees with the body. */
  HeaderMismatch: -32020,
  /** MCP 2026-07-28: serving the request needs a client capability its `_meta` did not declare. */
  MissingRequiredClientCapability: -32021,
  /** MCP 2026-07-28: the request's protocol version is not one this server serves statelessly. */
  UnsupportedProtocolVersion: -32022,
} as const;

/** One of the numeric codes in {@link ErrorCode}. */
export type ErrorCodeNumber = (typeof ErrorCode)[keyof typeof ErrorCode];
