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
  "identityKey",
  "imageContent",
  "invalidToken",
  "isFastestMcpError",
  "isProtocolError",
  "isTerminalStatus",
  "isToolError",
  "jwtVerifier",
  "resourceLink",
  "serveStdio",
  "stderrLogger",
  "textContent",
  "toJsonRpcError",
];

const CLIENT_EXPORTS = [
  "CancelledError",
  "Client",
  "FastestMcpError",
  "FileTokenStorage",
  "MemoryTokenStorage",
  "ProtocolError",
  "RemoteTask",
  "RequestTimeoutError",
  "StreamableHttpClientTransport",
  "ToolError",
  "isFastestMcpError",
  "isProtocolError",
  "isToolError",
];

// The root entry is fastestmcp/fetch (the portable API) plus the client, the stdio transport and
// the FastestMCP with the Node fronts (a different class of the same name).
const NOT_IN_FETCH = [
  "Client",
  "DEFAULT_MAX_LINE_BYTES",
  "RemoteTask",
  "StdioServerTransport",
  "StreamableHttpClientTransport",
  "serveStdio",
];
const FETCH_EXPORTS = ROOT_EXPORTS.filter((name) => !NOT_IN_FETCH.includes(name));

const STDIO_EXPORTS = ["DEFAULT_MAX_LINE_BYTES", "StdioServerTransport", "serveStdio"];

const SQLITE_EXPORTS = ["SQLITE_SCHEMA_VERSION", "SqliteTaskStore"];

const REDIS_EXPORTS = [
  "QUEUE_DEFAULTS",
  "RedisBackend",
  "RedisJobQueue",
  "RedisSessions",
  "RedisTaskEvents",
  "RedisTaskStore",
  "redisBackend",
];

const TESTING_EXPORTS = ["TASK_STORE_BEHAVIOURS", "describeTaskStore"];

describe("public exports", () => {
  it("the root entry (fastestmcp) exports exactly the public API, no internals", async () => {
    expect(Object.keys(await import("../../src/index.js")).sort()).toEqual(ROOT_EXPORTS);
  });

  it("the client entry (fastestmcp/client) exports exactly the client API", async () => {
    expect(Object.keys(await import("../../src/client/index.js")).sort()).toEqual(CLIENT_EXPORTS);
  });

  it("the fetch entry (fastestmcp/fetch) exports the portable API, its FastestMCP without the Node fronts", async () => {
    const fetchEntry = await import("../../src/fetch.js");
    expect(Object.keys(fetchEntry).sort()).toEqual(FETCH_EXPORTS);
    const root = await import("../../src/index.js");
    expect(fetchEntry.FastestMCP).not.toBe(root.FastestMCP);
    expect(root.FastestMCP.prototype).toBeInstanceOf(fetchEntry.FastestMCP);
    expect("listen" in fetchEntry.FastestMCP.prototype).toBe(false);
  });

  it("the node entry (fastestmcp/node) is the root entry, under a name that says Node", async () => {
    const node = await import("../../src/node.js");
    const root = await import("../../src/index.js");
    expect(Object.keys(node).sort()).toEqual(ROOT_EXPORTS);
    expect(node.FastestMCP).toBe(root.FastestMCP);
  });

  it("the stdio entry (fastestmcp/stdio) exports the stdio transport", async () => {
    expect(Object.keys(await import("../../src/stdio.js")).sort()).toEqual(STDIO_EXPORTS);
  });

  it("the sqlite entry (fastestmcp/sqlite) exports the SQLite task store", async () => {
    expect(Object.keys(await import("../../src/sqlite.js")).sort()).toEqual(SQLITE_EXPORTS);
  });

  it("the redis entry (fastestmcp/redis) exports the Redis backend, task store, task event bus, sessions and job queue", async () => {
    expect(Object.keys(await import("../../src/redis.js")).sort()).toEqual(REDIS_EXPORTS);
  });

  it("the testing entry (fastestmcp/testing) exports the TaskStore behaviour suite", async () => {
    expect(Object.keys(await import("../../src/testing.js")).sort()).toEqual(TESTING_EXPORTS);
  });
});
