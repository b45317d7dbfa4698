import type { ProgressToken } from "../../protocol/mcp-types.js";
import { InvalidParamsError } from "../../protocol/protocol-error.js";
import { quote } from "../../protocol/quote.js";
import type { RequestScope } from "./request-scope.js";

/**
 * Serves one JSON-RPC method, for a wire session and the in-process API alike; resolves with the
 * `result` object or throws (a `ProtocolError` when the request is at fault).
 */
export type RequestHandler = (
  scope: RequestScope,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** A required string parameter. @throws {InvalidParamsError} naming the method and parameter. */
export function stringParam(scope: RequestScope, name: string): string {
  const value = scope.params[name];
  if (typeof value !== "string" || value.length === 0) {
    throw new InvalidParamsError(
      `${scope.request.method} needs "${name}" as a non-empty string, got ${value === undefined ? "nothing" : quote(value)}.`,
      "invalid-params",
      { parameter: name },
    );
  }
  return value;
}

/** An optional object parameter. @throws {InvalidParamsError} when present but not an object. */
export function objectParam(scope: RequestScope, name: string): Record<string, unknown> | undefined {
  const value = scope.params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidParamsError(`${scope.request.method} needs "${name}" as an object.`, "invalid-params", {
      parameter: name,
    });
  }
  return value as Record<string, unknown>;
}

/**
 * The request's `_meta.progressToken`, if any.
 * @throws {InvalidParamsError} when it is neither a string nor a number.
 */
export function progressTokenOf(scope: RequestScope): ProgressToken | undefined {
  const token = objectParam(scope, "_meta")?.progressToken;
  if (token !== undefined && typeof token !== "string" && typeof token !== "number") {
    throw new InvalidParamsError(
      "_meta.progressToken must be a string or a number.",
      "invalid-progress-token",
    );
  }
  return token;
}

/**
 * For the list methods that answer in one page (`tools/list`, `prompts/list`, `resources/list`,
 * `resources/templates/list`): they never hand out a `nextCursor`, so any `cursor` is one this
 * server did not make (MCP pagination: invalid cursors SHOULD give `-32602`).
 * @throws {InvalidParamsError} reason `invalid-cursor` when the request has a cursor.
 */
export function noCursor(scope: RequestScope): void {
  const cursor = scope.params.cursor;
  if (cursor === undefined) return;
  throw new InvalidParamsError(
    `Invalid cursor ${quote(cursor)}: ${scope.request.method} answers with every item in one page and gives no nextCursor, so send it without a cursor.`,
    "invalid-cursor",
  );
}
