import type { UriScanner } from "./uri-template-scan.js";
import type { TemplateExpression, TemplateOperator, TemplatePart } from "./uri-template-syntax.js";

type UnnamedOperator = Exclude<TemplateOperator, ";" | "?" | "&">;
type NamedOperator = ";" | "?" | "&";

// What one value may span, by operator (the same rules as the scanner's, as character classes).
const VALUE: Readonly<Record<UnnamedOperator, string>> = {
  "": "[^/?#]",
  "+": "[^?#]",
  "#": "[^#]",
  ".": "[^/?#]",
  "/": "[^/?#]",
};
// One item of a list or one of several variables: a value without the operator's separator.
const PIECE: Readonly<Record<UnnamedOperator, string>> = {
  "": "[^/?#,]",
  "+": "[^?#,]",
  "#": "[^#,]",
  ".": "[^/?#.]",
  "/": "[^/?#]",
};
const NAMED_VALUE: Readonly<Record<NamedOperator, string>> = { ";": "[^/?#;]", "?": "[^#&]", "&": "[^#&]" };
// Characters that end an expression's text: what may follow it without being taken into it.
const ENDS: Readonly<Record<TemplateOperator, string>> = {
  "": "/?#",
  "+": "?#",
  "#": "",
  ".": "/?#",
  "/": "?#",
  ";": "/?#",
  "?": "#",
  "&": "#",
};
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/**
 * A scanner built on one regular expression, for templates where it cannot backtrack far:
 * `undefined` for any other. The regex engine is fast on the common templates
 * (`users://{id}`, `repo://{owner}/{repo}/tree/{+path}{?ref}`), but where two expressions can
 * share characters (`{a}{b}`, `{+a}/{+b}`) it tries every split of a URI that does not match,
 * which {@link compileScanner} avoids. It is safe when whatever can follow each expression starts
 * with a character that expression's text cannot hold: then each expression's end is fixed by
 * the URI, and a failed match gives up after one pass.
 */
export function compileRegexScanner(parts: readonly TemplatePart[]): UriScanner | undefined {
  return endsAreFixed(parts) ? regexScanner(parts) : undefined;
}

/**
 * @internal The regex scanner for any template, safe or not: tests hold the linear scanner
 * against it. Never use it for a template {@link compileRegexScanner} refuses.
 */
export function regexScanner(parts: readonly TemplatePart[]): UriScanner {
  let source = "^";
  for (const part of parts) {
    if (typeof part === "string") source += escapeRegExp(part);
    else source += part.rule.named ? namedPattern(part) : unnamedPattern(part);
  }
  const regex = new RegExp(`${source}$`);
  return (uri) => {
    const captures = regex.exec(uri);
    return captures === null ? undefined : captures.slice(1);
  };
}

/** True when every expression is followed by the template's end or by text it cannot take in. */
function endsAreFixed(parts: readonly TemplatePart[]): boolean {
  // What the rest of the template may start with: a set of characters, or `undefined` for "almost anything".
  let follows: string | undefined = "";
  for (let j = parts.length - 1; j >= 0; j--) {
    const part = parts[j] as TemplatePart;
    if (typeof part === "string") {
      follows = part.length > 0 ? (part[0] as string) : follows;
      continue;
    }
    if (follows === undefined) return false;
    for (const ch of follows) if (!ENDS[part.operator].includes(ch)) return false;
    // An expression with a leading character may be absent: then what follows it comes first.
    follows = part.rule.first === "" ? undefined : part.rule.first + follows;
  }
  return true;
}

function unnamedPattern({ operator, rule, specs }: TemplateExpression): string {
  const op = operator as UnnamedOperator;
  const first = escapeRegExp(rule.first);
  const required = rule.first === "";
  const only = specs[0] as { explode: boolean };
  if (specs.length === 1 && !only.explode) {
    return required ? `(${VALUE[op]}+)` : `(?:${first}(${VALUE[op]}*))?`;
  }
  const piece = PIECE[op];
  const more = specs.some((spec) => spec.explode) ? "*" : `{0,${specs.length - 1}}`;
  const body = `${piece}*(?:${escapeRegExp(rule.sep)}${piece}*)${more}`;
  return required ? `((?=${VALUE[op]})${body})` : `(?:${first}(${body}))?`;
}

function namedPattern({ operator, rule, specs }: TemplateExpression): string {
  // Longest first, so that "page" is not read as "p" followed by "age".
  const names = [...new Set(specs.map((spec) => spec.name))]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  const pair = `(?:${names.join("|")})(?:=${NAMED_VALUE[operator as NamedOperator]}*)?`;
  const sep = escapeRegExp(rule.sep);
  return `(?:${escapeRegExp(rule.first)}(${pair}(?:${sep}${pair})*))?`;
}

function escapeRegExp(literal: string): string {
  return literal.replace(REGEX_SPECIAL, "\\$&");
}
