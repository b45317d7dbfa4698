import { describe, expect, it } from "vitest";

// The package's public API, pinned: a name added to or dropped from an entry point is a decision
// (and a release note), never a side effect of a refactor. Types are not listed (they leave no
// runtime trace); the compiler checks those through the docs' and tests' imports.

const ROOT_EXPORTS = [
  "CancelledError",
  "Client",
  "Context",
  "DEFAULT_MAX_LINE_BYTES",
  "DEFAULT_PROGRESS_INTERVAL_MS",
  "ErrorCode",
  "FastestMCP",
  "FastestMCPServer",
  "FastestMcpError",
  "FastestMcpErrorCode",
  "InternalError",
  "InvalidParamsError",
  "InvalidRequestError",
  "LATEST_PROTOCOL_VERSION",
  "LOCAL_OWNER",
  "LOG_LEVELS",
  "LOG_LEVEL_RANK",
  "Logger",
  "MAX_COMPLETION_VALUES",
  "MAX_MESSAGE_DEPTH",
  "McpError",
  "MemoryTaskStore",
  "MethodNotFoundError",
  "ParseError",
  "Progress",
  "ProgressError",
  "ProgressTracker",
  "PromptNotFoundError",
  "ProtocolError",
  "RELATED_TASK_META_KEY",
  "RESOURCE_NOT_FOUND_ERROR_CODE",
  "REVISIONS",
  "RemoteTask",
  "RequestTimeoutError",
  "ResourceNotFoundError",
  "SESSION_LIMIT_ERROR_CODE",
  "SessionLimitError",
  "StdioServerTransport",
  "StreamableHttpClientTransport",
  "TASK_LIMIT_ERROR_CODE",
  "TaskLimitError",
  "TaskNotFoundError",
  "TaskResultTooLargeError",
  "TaskTerminalError",
  "ToolError",
  "ToolNotFoundError",
  "UriTemplate",
  "audioContent",
  "embeddedResource",
  "imageContent",
  "isFastestMcpError",
  "isProtocolError",
  "isTerminalStatus",
  "isToolError",
  "resourceLink",
  "serveStdio",
  "stderrLogger",
  "textContent",
  "toJsonRpcError",
];

const CLIENT_EXPORTS = ["Client", "RemoteTask", "StreamableHttpClientTransport"];

describe("public exports", () => {
  it("the root entry (fastestmcp) exports exactly the public API, no internals", async () => {
    expect(Object.keys(await import("../../src/index.js")).sort()).toEqual(ROOT_EXPORTS);
  });

  it("the client entry (fastestmcp/client) exports exactly the client API", async () => {
    expect(Object.keys(await import("../../src/client/index.js")).sort()).toEqual(CLIENT_EXPORTS);
  });
});
