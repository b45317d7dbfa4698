import { describe, expect, it } from "vitest";
import { messageJson, resultResponse, SerializedResult } from "../../../src/protocol/jsonrpc.js";
import { isProtocolError } from "../../../src/protocol/protocol-error.js";
import {
  hasEnvelope,
  httpStatusOf,
  mcpNameOf,
  REVISION_2026_07_28,
  readEnvelope,
} from "../../../src/protocol/revisions/2026-07-28.js";
import { findStatelessRevision, isStatelessVersion, REVISIONS } from "../../../src/protocol/revisions.js";

const VERSION_KEY = "io.modelcontextprotocol/protocolVersion";
const CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities";
const SERVER_INFO = { name: "s", version: "1" };

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
}

describe("MCP 2026-07-28 profile", () => {
  it("is stateless, has server/discover and none of the removed methods", () => {
    expect(findStatelessRevision("2026-07-28")).toBe(REVISION_2026_07_28);
    expect(REVISION_2026_07_28.stateless).toBe(true);
    expect(REVISION_2026_07_28.methods.has("server/discover")).toBe(true);
    for (const removed of ["initialize", "ping", "logging/setLevel", "resources/subscribe", "tasks/result"]) {
      expect(REVISION_2026_07_28.methods.has(removed), removed).toBe(false);
    }
    for (const legacy of REVISIONS) {
      expect(legacy.stateless).toBe(false);
      expect(legacy.methods.has("server/discover")).toBe(false);
      expect(legacy.shapeResult).toBeUndefined();
    }
  });

  it("tells stateless versions by date", () => {
    expect(isStatelessVersion("2026-07-28")).toBe(true);
    expect(isStatelessVersion("2027-01-01")).toBe(true);
    expect(isStatelessVersion("2025-11-25")).toBe(false);
    expect(isStatelessVersion("v999.0.0")).toBe(false);
  });
});

describe("the request envelope", () => {
  it("marks a request stateless by the protocol-version key alone", () => {
    expect(hasEnvelope({ _meta: { [VERSION_KEY]: "x" } })).toBe(true);
    expect(hasEnvelope({ _meta: { progressToken: 1 } })).toBe(false);
    expect(hasEnvelope(undefined)).toBe(false);
  });

  it("reads version, capabilities, optional clientInfo and log level", () => {
    const envelope = readEnvelope({
      _meta: {
        [VERSION_KEY]: "2026-07-28",
        [CAPABILITIES_KEY]: { sampling: {} },
        "io.modelcontextprotocol/logLevel": "info",
      },
    });
    expect(envelope).toEqual({
      protocolVersion: "2026-07-28",
      clientCapabilities: { sampling: {} },
      clientInfo: undefined,
      logLevel: "info",
    });
  });

  it.each([
    ["no _meta", {}],
    ["no version", { _meta: { [CAPABILITIES_KEY]: {} } }],
    ["no capabilities", { _meta: { [VERSION_KEY]: "2026-07-28" } }],
    ["capabilities not an object", { _meta: { [VERSION_KEY]: "2026-07-28", [CAPABILITIES_KEY]: [] } }],
    [
      "an unknown log level",
      {
        _meta: {
          [VERSION_KEY]: "2026-07-28",
          [CAPABILITIES_KEY]: {},
          "io.modelcontextprotocol/logLevel": "loud",
        },
      },
    ],
  ])("refuses %s as invalid-request-meta (-32602)", (_case, params) => {
    const error = thrown(() => readEnvelope(params));
    expect(isProtocolError(error) && error.code).toBe(-32602);
    expect(isProtocolError(error) && error.reason).toBe("invalid-request-meta");
  });
});

describe("result and error shapes", () => {
  it("adds resultType and serverInfo to every result, cache hints to cacheable ones, without touching the handler's object", () => {
    const result = { tools: [], _meta: { mine: 1 } };
    const shaped = REVISION_2026_07_28.shapeResult?.("tools/list", result, SERVER_INFO);
    expect(shaped).toEqual({
      tools: [],
      resultType: "complete",
      ttlMs: 0,
      cacheScope: "private",
      _meta: { "io.modelcontextprotocol/serverInfo": SERVER_INFO, mine: 1 },
    });
    expect(result).toEqual({ tools: [], _meta: { mine: 1 } });
    const call = REVISION_2026_07_28.shapeResult?.("tools/call", { content: [] }, SERVER_INFO);
    expect(call).not.toHaveProperty("ttlMs");
  });

  it("drops the 2025 task flag (execution) from listed tools", () => {
    const tools = [{ name: "a", execution: { taskSupport: "optional" } }, { name: "b" }];
    const shaped = REVISION_2026_07_28.shapeResult?.("tools/list", { tools }, SERVER_INFO);
    expect(shaped?.tools).toEqual([{ name: "a" }, { name: "b" }]);
    expect(tools[0]).toHaveProperty("execution");
  });

  it("keeps a handler's own cache hints", () => {
    const shaped = REVISION_2026_07_28.shapeResult?.(
      "resources/read",
      { contents: [], ttlMs: 60_000, cacheScope: "public" },
      SERVER_INFO,
    );
    expect(shaped).toMatchObject({ ttlMs: 60_000, cacheScope: "public" });
  });

  it("writes a shaped result's response exactly as JSON.stringify would, whether or not its suffix is pre-serialised", () => {
    const taskHandle: Record<string | symbol, unknown> = { taskId: "t", status: "working" };
    const cases: [string, Record<string, unknown>][] = [
      ["tools/call", { content: [{ type: "text", text: 'a "quoted" \u2028 text' }], isError: false }],
      ["tools/call", {}],
      ["prompts/get", { messages: [], description: "d" }],
      ["tools/call", { content: [], _meta: { "dev.example/x": 1 } }],
      ["tools/call", { content: [], resultType: "complete" }],
      ["tools/call", { content: [], toJSON: () => ({ replaced: true }) }],
      ["resources/read", { contents: [] }],
      ["tools/list", { tools: [{ name: "a", execution: { taskSupport: "optional" } }] }],
      ["tasks/get", taskHandle],
    ];
    // A task handle is marked as such (resultType "task") by the tasks extension.
    const wire = REVISION_2026_07_28.taskExtension;
    const handle = wire?.handle({
      taskId: "t",
      status: "working",
      createdAt: "2026-07-28T00:00:00.000Z",
      lastUpdatedAt: "2026-07-28T00:00:00.000Z",
      ttl: 1000,
      pollInterval: 100,
    });
    if (handle !== undefined) cases.push(["tools/call", handle]);
    for (const [method, result] of cases) {
      const shaped = REVISION_2026_07_28.shapeResult?.(method, result, SERVER_INFO) as Record<
        string,
        unknown
      >;
      const suffix = REVISION_2026_07_28.resultSuffix?.(method, result, SERVER_INFO);
      const response =
        suffix === undefined ? resultResponse(7, shaped) : new SerializedResult(7, shaped, result, suffix);
      expect(messageJson(response)).toBe(JSON.stringify(resultResponse(7, shaped)));
      expect(response).toEqual(resultResponse(7, shaped));
    }
    // Only a plain result of a method without cache hints is written from its own JSON.
    expect(REVISION_2026_07_28.resultSuffix?.("tools/call", { content: [] }, SERVER_INFO)).toBeDefined();
    expect(REVISION_2026_07_28.resultSuffix?.("tools/list", { tools: [] }, SERVER_INFO)).toBeUndefined();
  });

  it("numbers an unknown resource -32602 (unknown-resource) and leaves other errors alone", () => {
    const legacy = { code: -32002, message: "no", data: { reason: "resource-not-found", uri: "x://y" } };
    expect(REVISION_2026_07_28.shapeError?.(legacy)).toEqual({
      code: -32602,
      message: "no",
      data: { reason: "unknown-resource", uri: "x://y" },
    });
    const other = { code: -32602, message: "bad", data: { reason: "invalid-params" } };
    expect(REVISION_2026_07_28.shapeError?.(other)).toBe(other);
  });

  it("gives the stateless refusals their HTTP status and other errors 200", () => {
    expect(httpStatusOf({ code: -32601, message: "", data: { reason: "unknown-method" } })).toBe(404);
    expect(httpStatusOf({ code: -32021, message: "", data: { reason: "missing-client-capability" } })).toBe(
      400,
    );
    expect(httpStatusOf({ code: -32603, message: "", data: { reason: "internal-error" } })).toBe(200);
    expect(httpStatusOf({ code: -32602, message: "" })).toBe(200);
  });

  it("names the body value Mcp-Name mirrors", () => {
    expect(mcpNameOf("tools/call", { name: "t" })).toBe("t");
    expect(mcpNameOf("prompts/get", { name: "p" })).toBe("p");
    expect(mcpNameOf("resources/read", { uri: "u://x" })).toBe("u://x");
    expect(mcpNameOf("tasks/get", { taskId: "id" })).toBe("id");
    expect(mcpNameOf("tools/list", {})).toBeUndefined();
  });
});
