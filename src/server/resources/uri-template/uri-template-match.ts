import { truncate } from "./uri-template-expand.js";
import { compileRegexScanner } from "./uri-template-regex.js";
import { compileScanner } from "./uri-template-scan.js";
import type { TemplateExpression, TemplatePart, VarSpec } from "./uri-template-syntax.js";

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

/**
 * Compiles parsed template parts to a matcher: a scanner finds each expression's text (one
 * regular expression where that is safe, else {@link compileScanner}, linear in the URI's length
 * whatever the template), a decoder per expression splits it into variables.
 */
export function compileMatcher(parts: readonly TemplatePart[]): UriMatcher {
  const scan = compileRegexScanner(parts) ?? compileScanner(parts);
  const decoders: Decoder[] = [];
  for (const part of parts) {
    if (typeof part !== "string") decoders.push(part.rule.named ? namedDecoder(part) : unnamedDecoder(part));
  }
  return (uri) => {
    const captures = scan(uri);
    if (captures === undefined) return undefined;
    const found = new Map<string, Found>();
    for (let i = 0; i < decoders.length; i++) {
      if (!(decoders[i] as Decoder)(captures[i], found)) return undefined;
    }
    // fromEntries defines own properties, so a variable named __proto__ stays a plain value.
    return Object.fromEntries(Array.from(found, ([name, { value }]) => [name, value]));
  };
}

/** `{x}`, `{+x}`, `{#x}`, `{.x}`, `{/x}` and their lists: values split at the separator, by position. */
function unnamedDecoder({ rule, specs }: TemplateExpression): Decoder {
  const only = specs[0] as VarSpec;
  // A single variable takes the whole expression: a list expanded without "*" arrives joined.
  if (specs.length === 1 && !only.explode)
    return (capture, found) => capture === undefined || put(found, only, capture);
  return (capture, found) => capture === undefined || assignPieces(specs, capture.split(rule.sep), found);
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
function namedDecoder({ rule, specs }: TemplateExpression): Decoder {
  const byName = new Map<string, VarSpec[]>();
  for (const spec of specs) byName.set(spec.name, [...(byName.get(spec.name) ?? []), spec]);
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
  return decoder;
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
