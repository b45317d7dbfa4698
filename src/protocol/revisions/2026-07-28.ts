/**
 * MCP 2026-07-28, the first stateless revision: what it has and how its wire differs, in one place.
 * No `initialize`, `ping`, `logging/setLevel` or sessions: every request carries its revision and
 * the client's capabilities in `params._meta` (its "envelope"), every result says what it is
 * (`resultType`) and who answered (`serverInfo` in `_meta`), and list and read results carry cache
 * hints (`ttlMs`, `cacheScope`).
 */

import { wireErrorOf } from "../error-reasons.js";
import { isObject } from "../is-object.js";
import { LOG_LEVELS, type LogLevel } from "../mcp-types.js";
import { InvalidParamsError, type JsonRpcErrorObject, ProtocolError } from "../protocol-error.js";
import { quote } from "../quote.js";
import type { ProtocolRevision } from "../revisions.js";
import { RESULT_TYPE, TASKS_EXTENSION_WIRE } from "./tasks-extension.js";

/** The reserved `_meta` keys of a stateless request and result. */
export const META_KEYS = {
  protocolVersion: "io.modelcontextprotocol/protocolVersion",
  clientCapabilities: "io.modelcontextprotocol/clientCapabilities",
  clientInfo: "io.modelcontextprotocol/clientInfo",
  logLevel: "io.modelcontextprotocol/logLevel",
  serverInfo: "io.modelcontextprotocol/serverInfo",
} as const;

/** What a stateless request says about itself in `params._meta`. */
export interface RequestEnvelope {
  readonly protocolVersion: string;
  readonly clientCapabilities: Record<string, unknown>;
  /** Optional: the spec makes it a SHOULD, and a server must not require it. */
  readonly clientInfo: Record<string, unknown> | undefined;
  /** The lowest level the request wants as `notifications/message`; absent: none at all. */
  readonly logLevel: LogLevel | undefined;
}

/**
 * Whether `params` mark a request as stateless: `_meta` carries the protocol-version key (the
 * spec's and the official SDK's rule; an HTTP header only cross-checks it).
 */
export function hasEnvelope(params: Record<string, unknown> | undefined): boolean {
  const meta = params?._meta;
  return isObject(meta) && Object.hasOwn(meta, META_KEYS.protocolVersion);
}

/**
 * Reads the envelope of a stateless request.
 * @throws {InvalidParamsError} reason `invalid-request-meta` (HTTP 400) when `_meta`, its protocol
 * version or its client capabilities are missing or malformed.
 */
export function readEnvelope(params: Record<string, unknown> | undefined): RequestEnvelope {
  const meta = params?._meta;
  if (!isObject(meta)) {
    throw invalidMeta(
      `A ${STATELESS_VERSION} request needs params._meta with "${META_KEYS.protocolVersion}" and "${META_KEYS.clientCapabilities}".`,
    );
  }
  const protocolVersion = meta[META_KEYS.protocolVersion];
  if (typeof protocolVersion !== "string" || protocolVersion.length === 0) {
    throw invalidMeta(`_meta["${META_KEYS.protocolVersion}"] must be the protocol version, a string.`);
  }
  const clientCapabilities = meta[META_KEYS.clientCapabilities];
  if (!isObject(clientCapabilities)) {
    throw invalidMeta(
      `_meta["${META_KEYS.clientCapabilities}"] must be the client's capabilities, an object ({} for none).`,
    );
  }
  const clientInfo = meta[META_KEYS.clientInfo];
  if (clientInfo !== undefined && !isObject(clientInfo)) {
    throw invalidMeta(`_meta["${META_KEYS.clientInfo}"], when present, must be an object.`);
  }
  const logLevel = meta[META_KEYS.logLevel];
  if (logLevel !== undefined && !(LOG_LEVELS as readonly unknown[]).includes(logLevel)) {
    throw invalidMeta(
      `_meta["${META_KEYS.logLevel}"] must be one of ${LOG_LEVELS.join(", ")}, got ${quote(logLevel)}.`,
    );
  }
  return { protocolVersion, clientCapabilities, clientInfo, logLevel: logLevel as LogLevel | undefined };
}

function invalidMeta(message: string): InvalidParamsError {
  return new InvalidParamsError(message, "invalid-request-meta");
}

/** `-32022`: the request's version is not one this server serves statelessly. */
export function unsupportedVersionError(requested: string, supported: readonly string[]): ProtocolError {
  return new ProtocolError(
    "protocol-version-unsupported",
    `Unsupported protocol version ${quote(requested)}: this server serves ${supported.join(", ")} per request (and the 2025 revisions through initialize).`,
    { supported: [...supported], requested },
  );
}

/** `-32020`: a standard header disagrees with the body (or is missing). */
export function headerMismatchError(header: string, sent: string | undefined, body: string): ProtocolError {
  return new ProtocolError(
    "header-mismatch",
    sent === undefined
      ? `The ${header} header is missing: a ${STATELESS_VERSION} request must send it, equal to ${quote(body)} from its body.`
      : `The ${header} header ${quote(sent)} does not match ${quote(body)} in the request body.`,
    { header },
  );
}

/** `-32021`: serving the request needs a client capability the request did not declare. */
export function missingCapabilityError(capability: string, what: string): ProtocolError {
  return new ProtocolError(
    "missing-client-capability",
    `This request needs the client to ${what}, but its _meta["${META_KEYS.clientCapabilities}"] does not declare "${capability}".`,
    { requiredCapabilities: { [capability]: {} } },
  );
}

const STATELESS_VERSION = "2026-07-28";

/** The refusals a stateless HTTP answer carries with their own status (400, 404); other errors: 200. */
const HTTP_REFUSALS: ReadonlySet<string> = new Set([
  "invalid-request-meta",
  "header-mismatch",
  "protocol-version-unsupported",
  "missing-client-capability",
  "unknown-method",
]);

/** The HTTP status of a stateless request's error answer (the error table's, for its refusals). */
export function httpStatusOf(error: JsonRpcErrorObject): number {
  const reason = (error.data as { reason?: unknown } | undefined)?.reason;
  if (typeof reason !== "string" || !HTTP_REFUSALS.has(reason)) return 200;
  return wireErrorOf(reason)?.http ?? 400;
}

/**
 * Which body value the `Mcp-Name` header mirrors, per method: `params.name`, `params.uri` or
 * `params.taskId`; undefined for methods without one.
 */
export function mcpNameOf(method: string, params: Record<string, unknown> | undefined): string | undefined {
  let value: unknown;
  if (method === "tools/call" || method === "prompts/get") value = params?.name;
  else if (method === "resources/read") value = params?.uri;
  else if (method === "tasks/get" || method === "tasks/update" || method === "tasks/cancel")
    value = params?.taskId;
  return typeof value === "string" ? value : undefined;
}

/** Results whose revision marks them cacheable: they carry `ttlMs` and `cacheScope`. */
const CACHEABLE: ReadonlySet<string> = new Set([
  "server/discover",
  "tools/list",
  "prompts/list",
  "resources/list",
  "resources/templates/list",
  "resources/read",
]);

/**
 * Cache hints when the handler gave none: do not reuse, and never across authorization contexts
 * (what the official SDK sends too).
 */
const DEFAULT_TTL_MS = 0;
const DEFAULT_CACHE_SCOPE = "private";

/**
 * Marks a list or read result with the `ttlMs` and `cacheScope` this revision sends for it (the
 * server's per-component `cache` options). A symbol: the 2025 revisions, which have no such
 * fields, never send it (JSON has no symbols).
 */
export const CACHE_HINTS: unique symbol = Symbol("cacheHints");

/** Copies `source`'s own enumerable string keys onto `target`, in order; returns `target`. */
function copyKeys(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  // for…in allocates no key array (Object.keys would, per result).
  for (const key in source) if (Object.hasOwn(source, key)) target[key] = source[key];
  return target;
}

// What a result without `_meta` of its own gets, made once per `serverInfo` (a server's is
// frozen and kept): the `_meta` object (frozen: every such result shares it) and the JSON text of
// `resultType: "complete"` and that `_meta` (SerializedResult writes it after the result's own).
let lastServerInfo: Readonly<Record<string, unknown>> | undefined;
let lastServerMeta: Readonly<Record<string, unknown>> = {};
let lastSuffix = "";

function rememberServer(serverInfo: Readonly<Record<string, unknown>>): void {
  if (serverInfo === lastServerInfo) return;
  lastServerMeta = Object.freeze({ [META_KEYS.serverInfo]: serverInfo });
  lastSuffix = `"resultType":"complete","_meta":${JSON.stringify(lastServerMeta)}}`;
  lastServerInfo = serverInfo;
}

function serverMeta(serverInfo: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  rememberServer(serverInfo);
  return lastServerMeta;
}

/**
 * Whether `shapeResult` only appends `resultType: "complete"` and the server's `_meta` to
 * `result`: a plain result of a method without cache hints, with no `_meta`, `resultType` or
 * `toJSON` of its own.
 */
function onlyAppends(method: string, result: Record<string, unknown>): boolean {
  return (
    !CACHEABLE.has(method) &&
    (result as Record<symbol, unknown>)[RESULT_TYPE] === undefined &&
    !Object.hasOwn(result, "_meta") &&
    !Object.hasOwn(result, "resultType") &&
    typeof result.toJSON !== "function"
  );
}

/** `tools` without their `execution` member: the same array when no tool has one. */
function withoutExecution(tools: unknown[]): unknown[] {
  if (!tools.some((tool) => isObject(tool) && "execution" in tool)) return tools;
  return tools.map((tool) => {
    if (!isObject(tool) || !("execution" in tool)) return tool;
    const { execution: _execution, ...rest } = tool;
    return rest;
  });
}

/** The profile of MCP 2026-07-28. */
export const REVISION_2026_07_28: ProtocolRevision = {
  version: STATELESS_VERSION,
  // The 2025 tasks (SEP-1686) are not part of this revision: the tasks extension (SEP-2663)
  // serves the same store instead, for requests that declare it.
  tasks: false,
  taskExtension: TASKS_EXTENSION_WIRE,
  structuredOutput: true,
  stateless: true,
  methods: new Set([
    "server/discover",
    "tools/list",
    "tools/call",
    "resources/list",
    "resources/templates/list",
    "resources/read",
    "prompts/list",
    "prompts/get",
    "completion/complete",
    // Instead of 2025's GET stream and resources/subscribe (SEP-2575).
    "subscriptions/listen",
    // The tasks extension's; 2025's tasks/result and tasks/list are gone (-32601).
    "tasks/get",
    "tasks/update",
    "tasks/cancel",
  ]),
  // SEP-2322: only these may answer input_required; the spec forbids it on any other request.
  inputRequiredMethods: new Set(["tools/call", "prompts/get", "resources/read"]),
  shapeResult(method, result, serverInfo) {
    // Not `{ ...result, resultType, _meta }`: V8 (Node 20) makes a spread object with properties
    // added after it several times slower to build and to JSON.stringify than one filled key by
    // key (a microsecond and more per result, measured on Node 20). Same keys, same order.
    const shaped = copyKeys({}, result);
    // "complete" unless the handler marked it otherwise (a task handle: "task").
    shaped.resultType = (result as Record<symbol, unknown>)[RESULT_TYPE] ?? "complete";
    const meta = result._meta;
    shaped._meta = isObject(meta)
      ? copyKeys({ [META_KEYS.serverInfo]: serverInfo }, meta)
      : serverMeta(serverInfo);
    // The 2025 task flag of a tool (`execution.taskSupport`) is not part of this revision's Tool.
    if (method === "tools/list" && Array.isArray(result.tools)) shaped.tools = withoutExecution(result.tools);
    if (CACHEABLE.has(method)) {
      const hints = (result as Record<symbol, { ttlMs: number; cacheScope: string } | undefined>)[
        CACHE_HINTS
      ];
      shaped.ttlMs ??= hints?.ttlMs ?? DEFAULT_TTL_MS;
      shaped.cacheScope ??= hints?.cacheScope ?? DEFAULT_CACHE_SCOPE;
    }
    return shaped;
  },
  resultSuffix(method, result, serverInfo) {
    if (!onlyAppends(method, result)) return undefined;
    rememberServer(serverInfo);
    return lastSuffix;
  },
  shapeError(error) {
    // SEP-2164: an unknown resource is invalid params here, not 2025's -32002.
    const data = error.data as Record<string, unknown> | undefined;
    if (data?.reason !== "resource-not-found") return error;
    const { reason: _legacy, ...rest } = data;
    return new ProtocolError("unknown-resource", error.message, rest).toJSON();
  },
};
