/**
 * `fastestmcp/fetch`: FastestMCP for any runtime with web-standard `Request` and `Response`
 * (Cloudflare Workers, Deno, Bun, browsers, Node). Its `FastestMCP` serves the MCP endpoint with
 * `server.fetch(request)` / `server.fetchHandler(options)`, and nothing it reaches uses Node
 * APIs (test/architecture.test.ts checks). The root entry (`fastestmcp`) adds the Node fronts.
 * @packageDocumentation
 */

export type { AuthOptions } from "./auth/auth-options.js";
export type { ComponentAccessOptions } from "./auth/component-access.js";
export { identityKey } from "./auth/identity.js";
export { type JwtVerifierOptions, jwtVerifier } from "./auth/jwt-verifier.js";
export type { ResourceMetadataOptions } from "./auth/resource-metadata.js";
export { invalidToken, type TokenVerifier } from "./auth/token-verifier.js";
export type {
  ClientRequestHandler,
  ElicitationSchema,
  ElicitResult,
  InputOptions,
  Root,
  SampleOptions,
  SampleResult,
  SamplingMessage,
} from "./context/client-messages.js";
export type { ClientRequests } from "./context/client-requests.js";
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
export { FastestMCP, type FetchHandler, type HttpFront } from "./fastestmcp-web.js";
export type { AuthInfo } from "./protocol/auth-info.js";
export {
  PromptNotFoundError,
  RESOURCE_NOT_FOUND_ERROR_CODE,
  ResourceNotFoundError,
} from "./protocol/component-errors.js";
export { ErrorCode, type ErrorCodeNumber } from "./protocol/error-codes.js";
export type { ErrorReason, ErrorReasonWithCode, WireErrorSpec } from "./protocol/error-reasons.js";
export { MAX_MESSAGE_DEPTH } from "./protocol/json-depth.js";
export type {
  JsonRpcErrorResponse,
  JsonRpcId,
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  JsonRpcResultResponse,
} from "./protocol/jsonrpc.js";
export * from "./protocol/mcp-types.js";
export * from "./protocol/prompt-types.js";
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
  toJsonRpcError,
} from "./protocol/protocol-error.js";
export type { RequestInfo } from "./protocol/request-info.js";
export * from "./protocol/resource-types.js";
export { LATEST_PROTOCOL_VERSION, type ProtocolRevision, REVISIONS } from "./protocol/revisions.js";
export type { CompileJsonSchema } from "./schema/json-schema.js";
export type { StandardJSONSchemaV1, StandardSchemaV1 } from "./schema/standard-schema.js";
export type { ValidationIssue, ValidationResult, Validator } from "./schema/validator.js";
export type { Backend } from "./server/backend.js";
export type { CacheHints, CacheScope } from "./server/cache-hints.js";
export type { AuthOption, LocalRequestOptions } from "./server/call-options.js";
export {
  type CompletionContext,
  type CompletionProvider,
  type CompletionProviders,
  MAX_COMPLETION_VALUES,
} from "./server/completion/completers.js";
export {
  audioContent,
  type ContentExtras,
  embeddedResource,
  imageContent,
  type ResourceLinkOptions,
  resourceLink,
  textContent,
} from "./server/content.js";
export {
  type CallToolAsTaskOptions,
  type CallToolOptions,
  FastestMCPServer,
  LOCAL_OWNER,
  type ServerOptions,
  type TaskOwnerOptions,
  type TaskRef,
} from "./server/fastestmcp-server.js";
export type {
  InferPromptArgs,
  PromptArguments,
  PromptHandler,
  PromptMessageInput,
  PromptOptions,
  PromptValue,
} from "./server/prompts/prompt-options.js";
export type {
  ResourceContentsInput,
  ResourceHandler,
  ResourceOptions,
  ResourceTemplateHandler,
  ResourceTemplateOptions,
  ResourceValue,
} from "./server/resources/resource-options.js";
export {
  UriTemplate,
  type UriTemplateMatch,
  type UriTemplateScalar,
  type UriTemplateValue,
  type UriTemplateValues,
  type UriTemplateVariableName,
  type UriTemplateVariables,
} from "./server/resources/uri-template/uri-template.js";
export type { LocalClientHandlers } from "./server/session/client-requests.js";
export type { RequestStateOptions } from "./server/session/request-state.js";
export type { ClientInfo, MessageChannel, Session } from "./server/session/session.js";
export { SESSION_LIMIT_ERROR_CODE, SessionLimitError } from "./server/session/session-errors.js";
export type {
  HubEvent,
  HubListener,
  ListChangedMethod,
  SubscriptionHub,
} from "./server/subscriptions/subscription-hub.js";
export type {
  InferToolArgs,
  InferToolOutput,
  ToolHandler,
  ToolOptions,
  ToolReturn,
  ToolSchema,
  ToolTaskOptions,
} from "./server/tools/tool-options.js";
export type { TaskRequest } from "./server/tools/tool-task.js";
export { MemoryTaskStore } from "./tasks/memory-task-store.js";
export {
  TASK_LIMIT_ERROR_CODE,
  TaskLimitError,
  TaskNotFoundError,
  TaskResultTooLargeError,
  TaskTerminalError,
} from "./tasks/task-errors.js";
export type {
  SharedTaskEvent,
  TaskEventBus,
  TaskInputEvent,
  TaskInputResponses,
} from "./tasks/task-event-bus.js";
export type {
  TaskActivityListener,
  TaskEvent,
  TaskEventListener,
  TaskLogEvent,
} from "./tasks/task-events.js";
export type { TaskInputRequest, TaskPatch, TaskProgress, TaskRecord } from "./tasks/task-record.js";
export type { RetainedTasks } from "./tasks/task-retention.js";
export type { TaskRuntimeOptions } from "./tasks/task-runtime.js";
export { isTerminalStatus, type TaskStatus, type TerminalTaskStatus } from "./tasks/task-status.js";
export type {
  FinishedSince,
  NewTaskRecord,
  OwnerQuota,
  ProgressWrite,
  StoredWrite,
  TaskPage,
  TaskStore,
  TerminalPatch,
} from "./tasks/task-store.js";
export type { Task, TaskInfo } from "./tasks/task-view.js";
export type { HttpExchange } from "./transports/http/exchange.js";
export type { RequestGuardOptions } from "./transports/http/request-guard.js";
export type { StreamableHttpOptions, StreamableHttpTransport } from "./transports/http/streamable-http.js";
export { type DiagnosticLogger, type LogDetails, stderrLogger } from "./util/diagnostics.js";
