/**
 * FastestMCP: Model Context Protocol servers where progress is runtime state.
 * @packageDocumentation
 */
export { Context, type ContextInit } from "./context/context.js";
export { LOG_LEVEL_RANK, type LogEntry, Logger, type LogSink } from "./context/logger.js";
export { Progress } from "./context/progress.js";
export { ProgressError, type ProgressErrorReason } from "./context/progress-error.js";
export type { ProgressSink, ProgressUpdate } from "./context/progress-sink.js";
export {
  DEFAULT_PROGRESS_INTERVAL_MS,
  ProgressTracker,
  type ProgressTrackerOptions,
} from "./context/progress-tracker.js";
export {
  CancelledError,
  FastestMcpError,
  FastestMcpErrorCode,
  type FastestMcpErrorCodeName,
  isFastestMcpError,
  isToolError,
  ToolError,
} from "./errors.js";
export { ErrorCode, type ErrorCodeNumber } from "./protocol/error-codes.js";
export * from "./protocol/mcp-types.js";
export {
  InternalError,
  InvalidParamsError,
  InvalidRequestError,
  isProtocolError,
  type JsonRpcErrorObject,
  McpError,
  MethodNotFoundError,
  ParseError,
  ProtocolError,
  RequestTimeoutError,
  ToolNotFoundError,
} from "./protocol/protocol-error.js";
export type { StandardJSONSchemaV1, StandardSchemaV1 } from "./schema/standard-schema.js";
export type { ValidationIssue } from "./schema/validator.js";
export { type CallToolOptions, FastestMCP, type ServerOptions } from "./server/server.js";
export type {
  InferToolArgs,
  ToolHandler,
  ToolOptions,
  ToolSchema,
  ToolTaskOptions,
} from "./server/tool-options.js";
