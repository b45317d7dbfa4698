import { truncate } from "./uri-template-expand.js";
import type { TemplateExpression, TemplateOperator, TemplatePart, VarSpec } from "./uri-template-syntax.js";

/** A matched variable: a string, or a list for an exploded variable (`{/segments*}`). */
export type UriTemplateMatch = string | string[];

/** A compiled matcher: the variables of `uri`, percent-decoded, or `undefined` when it does not match. */
export type UriMatcher = (uri: string) => Record<string, UriTemplateMatch> | undefined;

/** A variable matched so far; `limit` is `n` when the value came from a prefix `{name:n}`. */
interface Found {
  readonly value: UriTemplateMatch;
  readonly limit: number | undefined;
}

/** Decodes one expression's capture (`undefined`: the expression is absent) into `found`; false when it cannot. */
type Decoder = (capture: string | undefined, found: Map<string, Found>) => boolean;

type UnnamedOperator = Exclude<TemplateOperator, ";" | "?" | "&">;
type NamedOperator = ";" | "?" | "&";

// What one value may span, by operator. Expansion percent-encodes "/", "?" and "#" in a value
// (level 1 always matched this way); reserved expansion ("+") keeps "/" but a raw "?" or "#" starts
// the query or fragment; a fragment ("#") runs to the end.
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
// The value of a `name=value` pair: path parameters stop at the path's delimiters, query
// parameters at "&" and the fragment.
const NAMED_VALUE: Readonly<Record<NamedOperator, string>> = { ";": "[^/?#;]", "?": "[^#&]", "&": "[^#&]" };
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/**
 * Compiles parsed template parts to one regular expression (one capture per expression, so
 * literals and expressions are placed by the regex engine: greedy, left to right) and a decoder
 * per expression that splits its capture into variables.
 */
export function compileMatcher(parts: readonly TemplatePart[]): UriMatcher {
  let source = "^";
  const decoders: Decoder[] = [];
  for (const part of parts) {
    if (typeof part === "string") {
      source += escapeRegExp(part);
      continue;
    }
    const [pattern, decoder] = part.rule.named ? namedExpression(part) : unnamedExpression(part);
    source += pattern;
    decoders.push(decoder);
  }
  const regex = new RegExp(`${source}$`);
  const level1 = levelOneNames(parts);
  if (level1 !== undefined) return levelOneMatcher(regex, level1);
  return (uri) => {
    const captures = regex.exec(uri);
    if (captures === null) return undefined;
    const found = new Map<string, Found>();
    for (let i = 0; i < decoders.length; i++) {
      if (!(decoders[i] as Decoder)(captures[i + 1], found)) return undefined;
    }
    // fromEntries defines own properties, so a variable named __proto__ stays a plain value.
    return Object.fromEntries(Array.from(found, ([name, { value }]) => [name, value]));
  };
}

/** The variable names of a level-1 template (only plain `{name}`, each once), else `undefined`. */
function levelOneNames(parts: readonly TemplatePart[]): string[] | undefined {
  const names: string[] = [];
  for (const part of parts) {
    if (typeof part === "string") continue;
    const spec = part.specs[0] as VarSpec;
    const plain =
      part.operator === "" && part.specs.length === 1 && !spec.explode && spec.prefix === undefined;
    if (!plain || names.includes(spec.name)) return undefined;
    names.push(spec.name);
  }
  return names;
}

// Level-1 templates (most resource templates) keep the matcher they always had: one capture per
// variable, decoded in place, no bookkeeping for repeats, lists or absent variables.
function levelOneMatcher(regex: RegExp, names: readonly string[]): UriMatcher {
  return (uri) => {
    const captures = regex.exec(uri);
    if (captures === null) return undefined;
    const entries: Array<[string, string]> = [];
    for (let i = 0; i < names.length; i++) {
      const value = decode(captures[i + 1] as string);
      if (value === undefined) return undefined;
      entries.push([names[i] as string, value]);
    }
    return Object.fromEntries(entries);
  };
}

/** `{x}`, `{+x}`, `{#x}`, `{.x}`, `{/x}` and their lists: values split at the separator, by position. */
function unnamedExpression({ operator, rule, specs }: TemplateExpression): [string, Decoder] {
  const op = operator as UnnamedOperator;
  const first = escapeRegExp(rule.first);
  // "" and "+" have no leading character to tell an absent expression from an empty one: they
  // match at least one character, as level-1 matching always did.
  const required = rule.first === "";
  const only = specs[0] as VarSpec;
  if (specs.length === 1 && !only.explode) {
    // A single variable takes the whole expression: a list expanded without "*" arrives joined.
    const pattern = required ? `(${VALUE[op]}+)` : `(?:${first}(${VALUE[op]}*))?`;
    return [pattern, (capture, found) => capture === undefined || put(found, only, capture)];
  }
  const piece = PIECE[op];
  const more = specs.some((spec) => spec.explode) ? "*" : `{0,${specs.length - 1}}`;
  const body = `${piece}*(?:${escapeRegExp(rule.sep)}${piece}*)${more}`;
  const pattern = required ? `((?=${VALUE[op]})${body})` : `(?:${first}(${body}))?`;
  return [
    pattern,
    (capture, found) => capture === undefined || assignPieces(specs, capture.split(rule.sep), found),
  ];
}

/**
 * Gives each variable one piece, left to right; the first exploded variable takes the pieces
 * the others do not need. Variables left without a piece are absent.
 */
function assignPieces(specs: readonly VarSpec[], pieces: string[], found: Map<string, Found>): boolean {
  let spare = pieces.length - specs.length;
  let at = 0;
  for (const spec of specs) {
    if (at === pieces.length) break;
    if (spec.explode) {
      const take = 1 + Math.max(spare, 0);
      spare = Math.min(spare, 0);
      if (!put(found, spec, pieces.slice(at, at + take))) return false;
      at += take;
    } else if (!put(found, spec, pieces[at++] as string)) {
      return false;
    }
  }
  return at === pieces.length;
}

/** `{;x,y}`, `{?x,y}`, `{&x,y}`: `name=value` pairs of the expression's own names, in any order. */
function namedExpression({ operator, rule, specs }: TemplateExpression): [string, Decoder] {
  const byName = new Map<string, VarSpec[]>();
  for (const spec of specs) byName.set(spec.name, [...(byName.get(spec.name) ?? []), spec]);
  // Longest first, so that "page" is not read as "p" followed by "age".
  const names = [...byName.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pair = `(?:${names.join("|")})(?:=${NAMED_VALUE[operator as NamedOperator]}*)?`;
  const sep = escapeRegExp(rule.sep);
  const pattern = `(?:${escapeRegExp(rule.first)}(${pair}(?:${sep}${pair})*))?`;
  const decoder: Decoder = (capture, found) => {
    if (capture === undefined) return true;
    const lists = new Map<VarSpec, string[]>();
    const seen = new Map<string, number>();
    for (const text of capture.split(rule.sep)) {
      const eq = text.indexOf("=");
      const name = eq === -1 ? text : text.slice(0, eq);
      const raw = eq === -1 ? "" : text.slice(eq + 1);
      const candidates = byName.get(name) as VarSpec[];
      const exploded = candidates.find((spec) => spec.explode);
      if (exploded !== undefined) {
        lists.set(exploded, [...(lists.get(exploded) ?? []), raw]);
        continue;
      }
      // A name given more often than the expression holds it is no expansion of it.
      const index = seen.get(name) ?? 0;
      const spec = candidates[index];
      if (spec === undefined || !put(found, spec, raw)) return false;
      seen.set(name, index + 1);
    }
    for (const [spec, raws] of lists) if (!put(found, spec, raws)) return false;
    return true;
  };
  return [pattern, decoder];
}

/** Decodes and records one variable; false for a malformed escape, a too long prefix or a disagreeing repeat. */
function put(found: Map<string, Found>, spec: VarSpec, raw: string | readonly string[]): boolean {
  let value: UriTemplateMatch;
  if (typeof raw === "string") {
    const decoded = decode(raw);
    if (decoded === undefined) return false;
    if (spec.prefix !== undefined && truncate(decoded, spec.prefix) !== decoded) return false;
    value = decoded;
  } else {
    value = [];
    for (const item of raw) {
      const decoded = decode(item);
      if (decoded === undefined) return false;
      value.push(decoded);
    }
  }
  const next: Found = { value, limit: spec.prefix };
  const previous = found.get(spec.name);
  const kept = previous === undefined ? next : agree(previous, next);
  if (kept === undefined) return false;
  found.set(spec.name, kept);
  return true;
}

/** A variable that appears twice must match the same value; a prefix `{v:n}` must match its start. */
function agree(a: Found, b: Found): Found | undefined {
  if (typeof a.value !== "string" || typeof b.value !== "string") {
    const [x, y] = [a.value, b.value];
    const same =
      typeof x !== "string" &&
      typeof y !== "string" &&
      x.length === y.length &&
      x.every((item, i) => item === y[i]);
    return same ? a : undefined;
  }
  const [short, long] =
    (a.limit ?? Number.POSITIVE_INFINITY) <= (b.limit ?? Number.POSITIVE_INFINITY) ? [a, b] : [b, a];
  if (short.limit === undefined) return a.value === b.value ? a : undefined;
  return truncate(long.value as string, short.limit) === short.value ? long : undefined;
}

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined; // a malformed percent-escape is no expansion of the template
  }
}

function escapeRegExp(literal: string): string {
  return literal.replace(REGEX_SPECIAL, "\\$&");
}
