import { isObject } from "./is-object.js";
import { assertMessageDepth, MAX_MESSAGE_DEPTH } from "./json-depth.js";
import { InvalidRequestError, type JsonRpcErrorObject, ParseError } from "./protocol-error.js";

/** A JSON-RPC request id. MCP forbids `null`. */
export type JsonRpcId = string | number;

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: JsonRpcId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcNotification {
  jsonrpc: "2.0";
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcResultResponse {
  jsonrpc: "2.0";
  id: JsonRpcId;
  result: Record<string, unknown>;
}

export interface JsonRpcErrorResponse {
  jsonrpc: "2.0";
  /** `null` only when the request's id could not be read. */
  id: JsonRpcId | null;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcResultResponse | JsonRpcErrorResponse;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

export function isRequest(message: JsonRpcMessage): message is JsonRpcRequest {
  return "method" in message && "id" in message;
}

export function isNotification(message: JsonRpcMessage): message is JsonRpcNotification {
  return "method" in message && !("id" in message);
}

export function isResponse(message: JsonRpcMessage): message is JsonRpcResponse {
  return !("method" in message);
}

function isId(value: unknown): value is JsonRpcId {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

/** The request id of a malformed message, when one can be read (so the error can answer it). */
export function readableId(value: unknown): JsonRpcId | null {
  return isObject(value) && isId(value.id) ? value.id : null;
}

/**
 * Checks that `value` is one JSON-RPC 2.0 message as MCP allows it (no batches, no null ids,
 * params an object, nesting within {@link MAX_MESSAGE_DEPTH}) and returns it typed.
 * @throws {InvalidRequestError} (-32600) naming the rule that failed.
 */
export function toJsonRpcMessage(value: unknown): JsonRpcMessage {
  assertMessageDepth(value);
  return checkEnvelope(value);
}

function checkEnvelope(value: unknown): JsonRpcMessage {
  if (Array.isArray(value)) {
    throw new InvalidRequestError(
      "JSON-RPC batches are not supported: send one message at a time.",
      "batch-not-supported",
    );
  }
  if (!isObject(value)) throw new InvalidRequestError("A JSON-RPC message must be a JSON object.");
  if (value.jsonrpc !== "2.0")
    throw new InvalidRequestError('A JSON-RPC message must have "jsonrpc": "2.0".');
  if ("method" in value) {
    if (typeof value.method !== "string" || value.method.length === 0) {
      throw new InvalidRequestError('"method" must be a non-empty string.');
    }
    if ("params" in value && value.params !== undefined && !isObject(value.params)) {
      throw new InvalidRequestError(`"params" of ${value.method} must be an object.`);
    }
    if ("id" in value && !isId(value.id)) {
      throw new InvalidRequestError('"id" must be a string or a number (MCP does not allow null ids).');
    }
    return value as unknown as JsonRpcMessage;
  }
  if (!("id" in value) || (value.id !== null && !isId(value.id))) {
    throw new InvalidRequestError(
      'A JSON-RPC message needs a "method" (request, notification) or an "id" (response).',
    );
  }
  if ("result" in value === "error" in value) {
    throw new InvalidRequestError('A JSON-RPC response must have exactly one of "result" and "error".');
  }
  return value as unknown as JsonRpcMessage;
}

/**
 * Parses one message from text.
 * @throws {ParseError} (-32700) for invalid JSON, {@link InvalidRequestError} (-32600) for a non-message
 * or one nested too deeply.
 */
export function parseJsonRpc(text: string): JsonRpcMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ParseError(`The message is not valid JSON: ${(error as Error).message}`);
  }
  // Nesting deeper than the limit takes at least two characters a level: short messages (most
  // of them) skip the walk.
  if (text.length > 2 * MAX_MESSAGE_DEPTH) assertMessageDepth(value);
  return checkEnvelope(value);
}

/** A result response. */
export function resultResponse(id: JsonRpcId, result: Record<string, unknown>): JsonRpcResultResponse {
  return { jsonrpc: "2.0", id, result };
}

/** An error response. */
export function errorResponse(id: JsonRpcId | null, error: JsonRpcErrorObject): JsonRpcErrorResponse {
  return { jsonrpc: "2.0", id, error };
}

/** A notification. */
export function notification(method: string, params?: Record<string, unknown>): JsonRpcNotification {
  return params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params };
}

/**
 * @internal A notification that carries its own JSON text, for senders that know the shape and
 * can build the text with a template: JSON.stringify of even a small object costs several times
 * more on Node 20, and a burst sends one notification per step. The text is a private field, so
 * the object reads, compares and serialises like the plain notification it equals. The caller
 * guarantees that `json` is exactly `JSON.stringify` of the object.
 */
export class SerializedNotification implements JsonRpcNotification {
  // Declaration order is property order, hence JSON.stringify's: that of `notification()`.
  readonly jsonrpc = "2.0";
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly #json: string;

  constructor(method: string, params: Record<string, unknown>, json: string) {
    this.method = method;
    this.params = params;
    this.#json = json;
  }

  /** The text `message` carries, when it is one of these. */
  static json(message: JsonRpcMessage): string | undefined {
    return #json in message ? message.#json : undefined;
  }
}

/**
 * @internal A result response whose result is another result (`base`) plus members the server
 * adds to every result (2026-07-28: `resultType`, `_meta` with `serverInfo`), with those
 * members' JSON text made once (`suffix`: the members and the result's closing brace). Its JSON
 * is written from `base`'s and `suffix`: the added members are never serialised again. It reads,
 * compares and serialises like the plain response it equals; the caller guarantees that
 * `result` is `base`'s own members followed by what `suffix` writes.
 */
export class SerializedResult implements JsonRpcResultResponse {
  // Declaration order is property order, hence JSON.stringify's: that of `resultResponse()`.
  readonly jsonrpc = "2.0";
  readonly id: JsonRpcId;
  readonly result: Record<string, unknown>;
  readonly #base: Record<string, unknown>;
  readonly #suffix: string;

  constructor(id: JsonRpcId, result: Record<string, unknown>, base: Record<string, unknown>, suffix: string) {
    this.id = id;
    this.result = result;
    this.#base = base;
    this.#suffix = suffix;
  }

  /** The text `message` is written as, when it is one of these. */
  static json(message: JsonRpcMessage): string | undefined {
    if (!(#base in message)) return undefined;
    const base = JSON.stringify(message.#base);
    const members = base.length === 2 ? `{${message.#suffix}` : `${base.slice(0, -1)},${message.#suffix}`;
    return `{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":${members}}`;
  }
}

/**
 * A message's JSON text, as `JSON.stringify` makes it (taken from the message when it carries it).
 * @throws {TypeError} what JSON.stringify throws (a BigInt, a cycle).
 */
export function messageJson(message: JsonRpcMessage): string {
  return SerializedNotification.json(message) ?? SerializedResult.json(message) ?? JSON.stringify(message);
}
