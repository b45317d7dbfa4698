import { FastestMcpError } from "../errors.js";
import { quote } from "../protocol/quote.js";

/** RFC 6749 §3.3 `scope-token`: printable ASCII without space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Checks a list of scope names from the options and returns a frozen copy.
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` when it is not an array of scope tokens.
 */
export function scopeList(value: unknown, option: string): readonly string[] {
  if (!Array.isArray(value)) {
    throw new FastestMcpError("FMCP_ERR_OPTION_INVALID", `${option} must be an array of scope names.`);
  }
  for (const scope of value) {
    if (!isScopeToken(scope)) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `${option} entry ${quote(scope)} is not a scope name (printable ASCII without spaces, quotes or backslashes).`,
      );
    }
  }
  return Object.freeze([...value]);
}

/** True for a well-formed scope name (safe inside a quoted `WWW-Authenticate` parameter). */
export function isScopeToken(scope: unknown): scope is string {
  return typeof scope === "string" && SCOPE_TOKEN.test(scope);
}

/** The scopes of `required` that `granted` lacks (empty when every one is granted). */
export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  return required.filter((scope) => !granted.includes(scope));
}
