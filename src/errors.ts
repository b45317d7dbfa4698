/**
 * Local (non-wire) errors. Wire errors live in `protocol/protocol-error.ts`; a tool's own failure
 * that should reach the model as an `isError` result is a {@link ToolError}.
 */

const FASTESTMCP_ERROR = Symbol.for("fastestmcp.FastestMcpError");
const TOOL_ERROR = Symbol.for("fastestmcp.ToolError");

/** Every stable local error code, with what it means. `docs/errors.md` lists the same table. */
export const FastestMcpErrorCode = {
  FMCP_ERR_TOOL_NAME_INVALID: "A tool name is empty, too long or uses characters outside A-Z a-z 0-9 _ - .",
  FMCP_ERR_TOOL_DUPLICATE: "A tool with that name is already registered on this server.",
  FMCP_ERR_TOOL_HANDLER_INVALID: "The tool handler is not a function.",
  FMCP_ERR_RESOURCE_URI_INVALID:
    "A resource URI is not an absolute URI, or a URI template is not a valid RFC 6570 template.",
  FMCP_ERR_RESOURCE_DUPLICATE:
    "A resource with that URI, or a template with that URI template, is already registered.",
  FMCP_ERR_PROMPT_NAME_INVALID: "A prompt name is not a non-empty string.",
  FMCP_ERR_PROMPT_DUPLICATE: "A prompt with that name is already registered on this server.",
  FMCP_ERR_HANDLER_INVALID: "The handler of a resource, resource template or prompt is not a function.",
  FMCP_ERR_CONTENT_INVALID: "A content helper got data it cannot encode (not bytes or base64, no MIME type).",
  FMCP_ERR_SCHEMA_INVALID: "An input or output schema could not be compiled.",
  FMCP_ERR_SCHEMA_UNSUPPORTED: "A Standard Schema object offers no JSON Schema for tools/list.",
  FMCP_ERR_RUNTIME_UNSUPPORTED:
    "The runtime lacks what a feature needs: Node built-ins (listen, stdio) or code generation (Ajv).",
  FMCP_ERR_OPTION_INVALID: "An option passed to the server or a tool is out of range.",
  FMCP_ERR_CANCELLED: "The call or task was cancelled (AbortSignal, tasks/cancel or shutdown).",
  FMCP_ERR_CLIENT_CAPABILITY_MISSING:
    "A handler asked the client for something (sampling, elicitation) it did not declare.",
  FMCP_ERR_CLIENT_RESPONSE_INVALID:
    "The client answered a sampling or elicitation request with a malformed result.",
  FMCP_ERR_CLIENT_UNREACHABLE:
    "A task run by a job queue's worker asked the client something, and that worker cannot reach the client.",
  FMCP_ERR_TASK_TRANSITION_INVALID: "A task status change that the MCP task state machine forbids.",
  FMCP_ERR_TASK_AWAIT_TIMEOUT: "awaitTask gave up waiting; the task itself keeps running.",
  FMCP_ERR_STORE_DRIVER_MISSING:
    "A task store needs its optional driver package: npm install better-sqlite3 (SQLite), ioredis (Redis) or bullmq (the job queue).",
  FMCP_ERR_STORE_OPEN_FAILED:
    "The task store's database file could not be opened or created (missing directory, no permission).",
  FMCP_ERR_STORE_CORRUPT: "The task store's file is not a SQLite database, or its content is damaged.",
  FMCP_ERR_STORE_LOCKED: "The task store's database stayed locked by another connection past busyTimeoutMs.",
  FMCP_ERR_STORE_SCHEMA_NEWER: "The task store's schema is newer than this version of fastestmcp knows.",
  FMCP_ERR_STORE_WRITE_FAILED:
    "A write to the task store failed (read-only file, disk full, I/O error; Redis refused it); nothing stored before was lost.",
  FMCP_ERR_STORE_UNREACHABLE:
    "The task store's server (Redis) did not answer: it is down or out of reach; the store reconnects by itself.",
} as const;

/** One of the stable local error codes. */
export type FastestMcpErrorCodeName = keyof typeof FastestMcpErrorCode;

/** A local error with a stable `code` (`FMCP_ERR_…`): misuse of the API, never sent as-is on the wire. */
export class FastestMcpError extends Error {
  override name = "FastestMcpError";
  readonly code: FastestMcpErrorCodeName;
  readonly [FASTESTMCP_ERROR] = true;

  constructor(code: FastestMcpErrorCodeName, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Thrown by an in-process call whose `signal` was aborted. `cause` is the signal's reason. */
export class CancelledError extends FastestMcpError {
  override name = "CancelledError";
  constructor(message: string, options?: ErrorOptions) {
    super("FMCP_ERR_CANCELLED", message, options);
  }
}

/**
 * Throw from a tool handler to fail the call with an `isError: true` result whose text is this
 * message. Unlike a plain `Error`, the message is never masked by `maskErrorDetails`: it is meant
 * for the model to read.
 */
export class ToolError extends Error {
  override name = "ToolError";
  readonly [TOOL_ERROR] = true;
  /** Optional structured details, returned as `structuredContent` of the error result. */
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.details = details;
  }
}

/** True for any {@link FastestMcpError}, even one from another copy of this package. */
export function isFastestMcpError(value: unknown): value is FastestMcpError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [FASTESTMCP_ERROR]?: unknown })[FASTESTMCP_ERROR] === true
  );
}

/** True for any {@link ToolError}, even one from another copy of this package. */
export function isToolError(value: unknown): value is ToolError {
  return (
    typeof value === "object" && value !== null && (value as { [TOOL_ERROR]?: unknown })[TOOL_ERROR] === true
  );
}
