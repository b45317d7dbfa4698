import { FastestMcpError } from "../errors.js";

/** A variable name of RFC 6570: letters, digits, `_` and percent-escapes, with `.` between parts. */
const VARIABLE = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+(?:\.(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+)*$/;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/**
 * An RFC 6570 level-1 URI template (`file:///logs/{date}/{name}`), compiled once to a matcher.
 * Level 1 expands a variable by percent-encoding every reserved character, so a value never
 * contains `/`, `?` or `#`: a variable matches one or more other characters, and the value handed
 * to handlers is percent-decoded.
 */
export class UriTemplate {
  readonly template: string;
  /** The variable names, in order of appearance. */
  readonly variables: readonly string[];
  readonly #pattern: RegExp;

  /** @throws {FastestMcpError} `FMCP_ERR_RESOURCE_URI_INVALID` for anything beyond level 1. */
  constructor(template: string) {
    const fail = (why: string): never => {
      throw new FastestMcpError(
        "FMCP_ERR_RESOURCE_URI_INVALID",
        `URI template ${JSON.stringify(template)} is invalid: ${why}`,
      );
    };
    if (typeof template !== "string" || template.length === 0) fail("it must be a non-empty string.");
    const variables: string[] = [];
    let source = "^";
    let rest = template;
    while (rest.length > 0) {
      const open = rest.indexOf("{");
      const close = rest.indexOf("}");
      if (open === -1) {
        if (close !== -1) fail('it has a "}" without a "{".');
        source += escapeRegExp(rest);
        break;
      }
      if (close !== -1 && close < open) fail('it has a "}" without a "{".');
      if (close === -1) fail('it has a "{" without a "}".');
      const name = rest.slice(open + 1, close);
      if (!VARIABLE.test(name)) {
        fail(
          `{${name}} is not a level-1 expression: use a plain variable name such as {id} (operators like {+x}, {?x} and lists are not supported).`,
        );
      }
      if (variables.includes(name)) fail(`variable {${name}} appears twice.`);
      variables.push(name);
      source += `${escapeRegExp(rest.slice(0, open))}([^/?#]+)`;
      rest = rest.slice(close + 1);
    }
    if (variables.length === 0) fail("it has no {variable}; register it with addResource instead.");
    this.template = template;
    this.variables = variables;
    this.#pattern = new RegExp(`${source}$`);
  }

  /** The variables of `uri` when it matches this template (values percent-decoded), else `undefined`. */
  match(uri: string): Record<string, string> | undefined {
    const found = this.#pattern.exec(uri);
    if (found === null) return undefined;
    const entries: Array<[string, string]> = [];
    for (let i = 0; i < this.variables.length; i++) {
      try {
        entries.push([this.variables[i] as string, decodeURIComponent(found[i + 1] as string)]);
      } catch {
        return undefined; // a malformed percent-escape is no expansion of this template
      }
    }
    // fromEntries defines own properties, so a variable named __proto__ stays a plain value.
    return Object.fromEntries(entries);
  }

  /** The URI for `values`: each value is percent-encoded, as level 1 requires. */
  expand(values: Readonly<Record<string, string>>): string {
    return this.template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ""));
  }
}

function escapeRegExp(literal: string): string {
  return literal.replace(REGEX_SPECIAL, "\\$&");
}
