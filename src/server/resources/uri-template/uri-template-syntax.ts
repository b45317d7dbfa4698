import { FastestMcpError } from "../../../errors.js";

/** An RFC 6570 expression operator; `""` is simple string expansion (`{var}`). */
export type TemplateOperator = "" | "+" | "#" | "." | "/" | ";" | "?" | "&";

/** How an operator expands (RFC 6570 Appendix A). */
export interface OperatorRule {
  /** Written before the first defined value (`"/"` for `{/x}`). */
  readonly first: string;
  /** Written between values. */
  readonly sep: string;
  /** Values are written as `name=value` (`;`, `?`, `&`). */
  readonly named: boolean;
  /** What follows the name of an empty value (`{;x}` gives `;x`, `{?x}` gives `?x=`). */
  readonly ifEmpty: string;
  /** Reserved characters and percent-escapes are kept as they are (`+`, `#`). */
  readonly allowReserved: boolean;
}

const rule = (first: string, sep: string, named: boolean, ifEmpty: string, allowReserved: boolean) =>
  Object.freeze({ first, sep, named, ifEmpty, allowReserved });

/** The operator table of RFC 6570 Appendix A. */
export const OPERATORS: Readonly<Record<TemplateOperator, OperatorRule>> = {
  "": rule("", ",", false, "", false),
  "+": rule("", ",", false, "", true),
  "#": rule("#", ",", false, "", true),
  ".": rule(".", ".", false, "", false),
  "/": rule("/", "/", false, "", false),
  ";": rule(";", ";", true, "", false),
  "?": rule("?", "&", true, "=", false),
  "&": rule("&", "&", true, "=", false),
};

/** One variable of an expression: `name`, `name*` (explode) or `name:3` (prefix). */
export interface VarSpec {
  readonly name: string;
  readonly explode: boolean;
  /** At most this many characters of the value (`{name:3}`); `undefined` for the whole value. */
  readonly prefix: number | undefined;
}

/** One `{…}` of a template. */
export interface TemplateExpression {
  readonly operator: TemplateOperator;
  readonly rule: OperatorRule;
  readonly specs: readonly VarSpec[];
}

/** A parsed template: literal text and expressions, in order. */
export type TemplatePart = string | TemplateExpression;

/** RFC 6570 varspec: a varname (letters, digits, `_`, percent-escapes, inner `.`), then `*` or `:1`-`:9999`. */
const VARSPEC =
  /^((?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+(?:\.(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+)*)(?:(\*)|:([1-9][0-9]{0,3}))?$/;
/** Operators RFC 6570 keeps for future extensions. */
const RESERVED_OPERATORS = "=,!@|";

/**
 * Parses an RFC 6570 (levels 1 to 4) URI template.
 * @throws {FastestMcpError} `FMCP_ERR_RESOURCE_URI_INVALID` naming what is wrong.
 */
export function parseTemplate(template: string): TemplatePart[] {
  const fail = (why: string): never => {
    throw new FastestMcpError(
      "FMCP_ERR_RESOURCE_URI_INVALID",
      `URI template ${JSON.stringify(template)} is invalid: ${why}`,
    );
  };
  if (typeof template !== "string" || template.length === 0) fail("it must be a non-empty string.");
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf("{");
    const close = rest.indexOf("}");
    if (open === -1) {
      if (close !== -1) fail('it has a "}" without a "{".');
      parts.push(rest);
      break;
    }
    if (close !== -1 && close < open) fail('it has a "}" without a "{".');
    if (close === -1) fail('it has a "{" without a "}".');
    if (open > 0) parts.push(rest.slice(0, open));
    parts.push(parseExpression(rest.slice(open + 1, close), fail));
    rest = rest.slice(close + 1);
  }
  if (!parts.some((part) => typeof part !== "string")) {
    fail("it has no {variable}; register it with addResource instead.");
  }
  return parts;
}

function parseExpression(body: string, fail: (why: string) => never): TemplateExpression {
  const head = body.charAt(0);
  if (head !== "" && RESERVED_OPERATORS.includes(head)) {
    fail(`{${body}} uses the operator "${head}", which RFC 6570 reserves for future extensions.`);
  }
  const operator = (head !== "" && Object.hasOwn(OPERATORS, head) ? head : "") as TemplateOperator;
  const list = operator === "" ? body : body.slice(1);
  const specs = list.split(",").map((text): VarSpec => {
    const found = VARSPEC.exec(text);
    if (found === null) {
      fail(
        `{${body}} is not a valid expression: ${JSON.stringify(text)} is not a variable name ` +
          '(letters, digits, "_", percent-escapes and inner "."), optionally followed by "*" or ":1" to ":9999".',
      );
    }
    const [, name, explode, prefix] = found as RegExpExecArray;
    return {
      name: name as string,
      explode: explode !== undefined,
      prefix: prefix ? Number(prefix) : undefined,
    };
  });
  return { operator, rule: OPERATORS[operator], specs };
}

/** The variable names of parsed parts, each once, in order of first appearance. */
export function variableNames(parts: readonly TemplatePart[]): string[] {
  const names = new Set<string>();
  for (const part of parts) {
    if (typeof part !== "string") for (const spec of part.specs) names.add(spec.name);
  }
  return [...names];
}
