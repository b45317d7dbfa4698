import { ErrorCode } from "./error-codes.js";

/** What one wire `reason` means: its JSON-RPC code, its HTTP status and its default message. */
export interface WireErrorSpec {
  /** The JSON-RPC `code` every error with this reason carries. */
  readonly code: number;
  /**
   * The HTTP status the Streamable HTTP front answers with when it refuses a request itself with
   * this reason. Absent: the reason only travels inside a JSON-RPC answer (HTTP 200 or SSE).
   */
  readonly http?: number;
  /** The message when a throw site gives none; most give a more precise one. */
  readonly message: string;
}

const { ParseError, InvalidRequest, MethodNotFound, InvalidParams, InternalError } = ErrorCode;
const { ConnectionClosed, RequestTimeout, ResourceNotFound, LimitExceeded } = ErrorCode;
const { HeaderMismatch, MissingRequiredClientCapability, UnsupportedProtocolVersion } = ErrorCode;

/**
 * Every `reason` this package puts on a wire error (`data.reason`), in one place: the compiler
 * refuses a reason that is not a key here, and `docs/errors.md` lists the same rows in the same
 * order (a test compares them). Reasons and codes cross the wire, so an entry never changes.
 */
export const WIRE_ERRORS = {
  // JSON-RPC messages and sessions (every transport). Over HTTP a message that cannot be read is 400.
  "parse-error": { code: ParseError, http: 400, message: "The message is not valid JSON." },
  "invalid-request": {
    code: InvalidRequest,
    http: 400,
    message: "The message is not a valid JSON-RPC request.",
  },
  "batch-not-supported": { code: InvalidRequest, http: 400, message: "JSON-RPC batches are not supported." },
  "message-too-deep": { code: InvalidRequest, http: 400, message: "The message nests too deeply." },
  "not-initialized": { code: InvalidRequest, message: "Send initialize first." },
  "duplicate-request-id": {
    code: InvalidRequest,
    message: "That request id is in use by a request in flight.",
  },
  "session-limit-exceeded": { code: LimitExceeded, http: 503, message: "The server has too many sessions." },
  "method-not-found": { code: MethodNotFound, message: "Method not found." },
  "invalid-params": { code: InvalidParams, message: "Invalid params." },
  "invalid-log-level": { code: InvalidParams, message: "Unknown log level." },
  "invalid-progress-token": {
    code: InvalidParams,
    message: "_meta.progressToken must be a string or a number.",
  },
  "internal-error": { code: InternalError, http: 500, message: "Internal error" },

  // Streamable HTTP: the front refuses the request itself, with this status.
  "not-found": { code: InvalidRequest, http: 404, message: "Not found: this is not the MCP endpoint." },
  forbidden: { code: InvalidRequest, http: 403, message: "Forbidden: the Origin or Host is not allowed." },
  "shutting-down": { code: InvalidRequest, http: 503, message: "The server is shutting down." },
  "unsupported-media-type": {
    code: InvalidRequest,
    http: 415,
    message: "Content-Type must be application/json.",
  },
  "body-too-large": { code: InvalidRequest, http: 413, message: "The request body is too large." },
  "body-unreadable": {
    code: InvalidRequest,
    http: 400,
    message: "The request body could not be read to its end.",
  },
  "not-acceptable": { code: InvalidRequest, http: 406, message: "The Accept header allows no answer type." },
  "session-already-exists": {
    code: InvalidRequest,
    http: 400,
    message: "initialize must not carry an Mcp-Session-Id: it starts a new session.",
  },
  "session-required": { code: InvalidRequest, http: 400, message: "Missing Mcp-Session-Id header." },
  "session-not-found": {
    code: InvalidRequest,
    http: 404,
    message: "Unknown or ended session: initialize a new one.",
  },
  "session-store-unreachable": {
    code: InternalError,
    http: 503,
    message: "The store of the shared sessions did not answer: try again.",
  },
  // Also the client's refusal of a version the server chose (no HTTP status there).
  "unsupported-protocol-version": {
    code: InvalidRequest,
    http: 400,
    message: "Unsupported protocol version.",
  },
  "protocol-version-mismatch": {
    code: InvalidRequest,
    http: 400,
    message: "MCP-Protocol-Version is newer than the session's.",
  },
  "invalid-event-id": {
    code: InvalidRequest,
    http: 400,
    message: "Last-Event-ID is not an event id of this server.",
  },
  "unknown-event-id": {
    code: InvalidRequest,
    http: 404,
    message: "The stream of that Last-Event-ID is gone.",
  },
  "stream-conflict": {
    code: InvalidRequest,
    http: 409,
    message: "This session already has an open GET stream.",
  },

  // Authorization (a server with `auth`): the HTTP front answers with this status and a
  // WWW-Authenticate challenge (RFC 6750), before any session is looked up.
  "auth-required": { code: InvalidRequest, http: 401, message: "This server needs an OAuth access token." },
  "malformed-authorization": {
    code: InvalidRequest,
    http: 400,
    message: "The Authorization header is not a Bearer token.",
  },
  "token-in-query": {
    code: InvalidRequest,
    http: 400,
    message: "An access token in the query string is refused: send it in the Authorization header.",
  },
  "invalid-token": { code: InvalidRequest, http: 401, message: "The access token was refused." },
  "insufficient-scope": {
    code: InvalidRequest,
    http: 403,
    message: "The access token lacks a required scope.",
  },
  "token-verification-failed": {
    code: InternalError,
    http: 500,
    message: "The access token could not be checked.",
  },

  // MCP 2026-07-28 (stateless requests, every transport; the HTTP status where the front answers).
  "invalid-request-meta": {
    code: InvalidParams,
    http: 400,
    message: "The request's _meta lacks the protocol version or the client capabilities.",
  },
  "header-mismatch": {
    code: HeaderMismatch,
    http: 400,
    message: "A standard MCP header is missing or disagrees with the request body.",
  },
  "protocol-version-unsupported": {
    code: UnsupportedProtocolVersion,
    http: 400,
    message: "This server does not serve that protocol version.",
  },
  "missing-client-capability": {
    code: MissingRequiredClientCapability,
    http: 400,
    message: "The request needs a client capability its _meta did not declare.",
  },
  "unknown-method": {
    code: MethodNotFound,
    http: 404,
    message: "This protocol revision has no such method.",
  },
  "unknown-resource": { code: InvalidParams, message: "Resource not found." },
  "listen-filter-invalid": {
    code: InvalidParams,
    message: "subscriptions/listen needs params.notifications, a filter of what to send.",
  },
  // input_required results (SEP-2322): the retry of a request that asked the client for input.
  "input-responses-invalid": {
    code: InvalidParams,
    message: "inputResponses must map each key to the client's result for that input request.",
  },
  "request-state-invalid": {
    code: InvalidParams,
    message: "requestState failed its integrity check: echo it exactly as the server sent it.",
  },
  "request-state-expired": {
    code: InvalidParams,
    message: "requestState has expired: call again without it to start over.",
  },
  "request-state-mismatch": {
    code: InvalidParams,
    message: "requestState was issued for another request or another caller.",
  },
  "input-required": {
    code: InternalError,
    message: "The request needs input from the client: it is answered input_required instead.",
  },

  // stdio.
  "message-too-large": { code: InvalidRequest, message: "A message line is too long." },

  // Client: raised by the client itself, without the server answering.
  "http-error": { code: InternalError, message: "The server answered with an HTTP error." },
  "malformed-response": { code: InternalError, message: "The server's answer is not JSON-RPC." },
  "stream-lost": { code: InternalError, message: "The stream for this request was lost." },
  "connection-failed": { code: ConnectionClosed, message: "Could not reach the server." },
  "transport-closed": { code: ConnectionClosed, message: "The connection to the server closed." },
  "input-required-rounds": {
    code: InternalError,
    message: "The server kept answering input_required past the client's limit of rounds.",
  },
  // Client OAuth (the `auth` option): raised before or instead of the request that needed a token.
  "auth-discovery-failed": {
    code: InternalError,
    message: "The server's authorization metadata could not be discovered.",
  },
  "resource-mismatch": {
    code: InternalError,
    message: "The protected resource metadata names another resource than this server.",
  },
  "issuer-mismatch": {
    code: InternalError,
    message: "The authorization server's issuer is not the one discovered.",
  },
  "authorization-failed": { code: InternalError, message: "The authorization server refused the client." },
  "authorization-retry-limit": {
    code: InternalError,
    message: "The server kept refusing fresh tokens: authorization gave up.",
  },
  // `ProtocolError.fromJSON` of an error without `data.reason`; such an error keeps the code it came with.
  error: { code: InternalError, message: "The error gave no reason." },

  // Tools.
  "tool-not-found": { code: InvalidParams, message: "Unknown tool: call tools/list to see the tools." },
  "invalid-tool-arguments": { code: InvalidParams, message: "The tool's arguments are invalid." },
  "task-required": { code: MethodNotFound, message: "This tool only runs as a task." },
  "task-not-supported": { code: MethodNotFound, message: "This tool does not support task execution." },
  "tool-output-invalid": { code: InternalError, message: "The tool's result does not fit its outputSchema." },
  "request-timeout": { code: RequestTimeout, message: "The request timed out." },
  "request-total-timeout": {
    code: RequestTimeout,
    message: "The request ran past its maxTotalTimeout, progress or not.",
  },

  // Progress (ProgressError): the handler gets these where it reports progress.
  "progress-not-increasing": { code: InvalidParams, message: "Progress must increase." },
  "progress-invalid-number": { code: InvalidParams, message: "Progress must be a finite number >= 0." },
  "progress-invalid-message": { code: InvalidParams, message: "A progress message must be a string." },
  "progress-exceeds-total": { code: InvalidParams, message: "Progress must not exceed the total." },
  "progress-after-completion": { code: InvalidParams, message: "The call has finished: no more progress." },

  // Tasks.
  "task-not-found": { code: InvalidParams, message: "Unknown task." },
  "task-terminal": { code: InvalidParams, message: "The task has already finished." },
  "task-cancelled": { code: InvalidRequest, message: "The task was cancelled, so it has no result." },
  "task-limit-exceeded": { code: LimitExceeded, message: "Too many unfinished tasks." },
  "task-result-too-large": { code: InternalError, message: "The task's result was too large to keep." },
  "task-interrupted": {
    code: InternalError,
    message: "The server stopped before the task finished.",
  },
  "invalid-ttl": { code: InvalidParams, message: "task.ttl must be a number of milliseconds." },
  "invalid-cursor": { code: InvalidParams, message: "The cursor is not a nextCursor of an earlier answer." },
  "invalid-page-size": { code: InvalidParams, message: "pageSize must be an integer from 1 to 1000." },

  // Resources.
  "resource-not-found": { code: ResourceNotFound, message: "Resource not found." },
  "invalid-resource-uri": { code: InvalidParams, message: "The resource URI is not a valid URI." },
  "resource-content-invalid": { code: InternalError, message: "The resource handler returned no contents." },

  // Prompts.
  "prompt-not-found": {
    code: InvalidParams,
    message: "Unknown prompt: call prompts/list to see the prompts.",
  },
  "prompt-argument-missing": { code: InvalidParams, message: "A required prompt argument is missing." },
  "invalid-prompt-arguments": { code: InvalidParams, message: "The prompt's arguments are invalid." },
  "prompt-result-invalid": { code: InternalError, message: "The prompt handler returned no messages." },

  // Completion.
  "completion-ref-not-found": {
    code: InvalidParams,
    message: "The completion ref names nothing registered.",
  },
  "completion-argument-not-found": {
    code: InvalidParams,
    message: "No such argument or variable to complete.",
  },
  "completion-result-invalid": { code: InternalError, message: "The completion did not return strings." },
} as const satisfies Record<string, WireErrorSpec>;

/** A `reason` this package puts on a wire error: a key of {@link WIRE_ERRORS}. */
export type ErrorReason = keyof typeof WIRE_ERRORS;

/** The reasons whose JSON-RPC code is `C`: what each `ProtocolError` subclass accepts. */
export type ErrorReasonWithCode<C extends number> = {
  [R in ErrorReason]: (typeof WIRE_ERRORS)[R]["code"] extends C ? R : never;
}[ErrorReason];

/** The table's entry for `reason`, or undefined for a reason this package does not produce. */
export function wireErrorOf(reason: string): WireErrorSpec | undefined {
  return Object.hasOwn(WIRE_ERRORS, reason) ? WIRE_ERRORS[reason as ErrorReason] : undefined;
}
