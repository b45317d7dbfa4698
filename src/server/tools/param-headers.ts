/**
 * Custom headers from tool parameters (SEP-2243, MCP 2026-07-28 over Streamable HTTP): a tool's
 * input-schema property annotated `"x-mcp-header": "<Name>"` is mirrored by the client in an
 * `Mcp-Param-<Name>` header on every `tools/call`, so intermediaries can route on it without
 * reading the body. The server checks the header against the body (`-32020` when it is missing
 * or differs). The rules on the annotation, and the check, live here.
 */

import { isObject } from "../../protocol/is-object.js";
import { ProtocolError } from "../../protocol/protocol-error.js";
import { headerMismatchError } from "../../protocol/revisions/2026-07-28.js";
import { decodeHeaderValue } from "../../util/header-value.js";

/** The schema keyword that names a parameter's header. */
export const HEADER_KEYWORD = "x-mcp-header";

/** Where a parameter's header name goes: `Mcp-Param-<Name>`. */
export const PARAM_HEADER_PREFIX = "Mcp-Param-";

/** An HTTP field name's characters (RFC 9110 `token`): no space, colon, control or non-ASCII. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Types a mirrored parameter may have: the spec's string, integer and boolean (not `number`, which
 * the conformance suite requires refused: `1` and `1.0` would be two texts of one value), alone or
 * nullable (`["boolean", "null"]`): a `null` value sends no header, as the spec says.
 */
const HEADER_TYPES: ReadonlySet<unknown> = new Set(["string", "integer", "boolean"]);

/** Whether a property's `type` is one header type, alone or with `"null"`. */
function mirrorableType(type: unknown): boolean {
  if (!Array.isArray(type)) return HEADER_TYPES.has(type);
  const others = type.filter((entry) => entry !== "null");
  return others.length === 1 && type.length <= 2 && HEADER_TYPES.has(others[0]);
}

/** One mirrored parameter: the argument's name and its header's `<Name>`. */
export interface HeaderParam {
  readonly argument: string;
  readonly header: string;
}

/**
 * The parameters of `inputSchema` (its top-level properties) that carry `x-mcp-header`;
 * `undefined` when none does.
 * @returns the reason the annotations are invalid, as `{ invalid }`, for the caller to throw in
 * its own error type: a name that is empty or not an HTTP token, a property that is not a
 * string, integer or boolean, or two names equal but for case.
 */
export function headerParamsOf(
  inputSchema: Readonly<Record<string, unknown>>,
): readonly HeaderParam[] | { invalid: string } | undefined {
  const properties = inputSchema.properties;
  if (!isObject(properties)) return undefined;
  const params: HeaderParam[] = [];
  const seen = new Map<string, string>();
  for (const [argument, property] of Object.entries(properties)) {
    if (!isObject(property) || !(HEADER_KEYWORD in property)) continue;
    const header = property[HEADER_KEYWORD];
    if (typeof header !== "string" || !TOKEN.test(header)) {
      return {
        invalid: `property "${argument}" has ${HEADER_KEYWORD} ${JSON.stringify(header)}: it must be a non-empty HTTP token (ASCII letters, digits and !#$%&'*+-.^_\`|~; no space, colon or control character).`,
      };
    }
    if (!mirrorableType(property.type)) {
      return {
        invalid: `property "${argument}" has ${HEADER_KEYWORD} but type ${JSON.stringify(property.type)}: only "string", "integer" and "boolean" parameters (or one of them with "null") can be mirrored in a header.`,
      };
    }
    const other = seen.get(header.toLowerCase());
    if (other !== undefined) {
      return {
        invalid: `properties "${other}" and "${argument}" have the same ${HEADER_KEYWORD} "${header}" (header names ignore case).`,
      };
    }
    seen.set(header.toLowerCase(), argument);
    params.push({ argument, header });
  }
  return params.length === 0 ? undefined : params;
}

/**
 * Checks each mirrored parameter's `Mcp-Param-<Name>` header against the call's `args`: present
 * exactly when the argument is (and not `null`), and equal to its text (`true`/`false`, the
 * integer in decimal) once trimmed and, for the `=?base64?…?=` form, decoded.
 * @returns the `-32020` (`header-mismatch`) error of the first that fails, else `undefined`.
 */
export function paramHeaderError(
  params: readonly HeaderParam[],
  args: Readonly<Record<string, unknown>>,
  header: (name: string) => string | undefined,
): ProtocolError | undefined {
  for (const { argument, header: name } of params) {
    const value = args[argument];
    const expected = value === undefined || value === null ? undefined : String(value);
    const raw = header(PARAM_HEADER_PREFIX + name)?.trim();
    const sent = raw === undefined ? undefined : decodeHeaderValue(raw);
    if (sent === expected) continue;
    // Integers compare as numbers: 42.0 in the header mirrors 42 in the body.
    if (typeof value === "number" && typeof sent === "string" && sent.trim() !== "" && Number(sent) === value)
      continue;
    const headerName = PARAM_HEADER_PREFIX + name;
    if (expected !== undefined) return headerMismatchError(headerName, raw, expected);
    return new ProtocolError(
      "header-mismatch",
      `The ${headerName} header is sent, but the request body has no "${argument}" argument for it to mirror.`,
      { header: headerName },
    );
  }
  return undefined;
}
