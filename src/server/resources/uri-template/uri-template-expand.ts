import { FastestMcpError } from "../../../errors.js";
import type { OperatorRule, TemplatePart, VarSpec } from "./uri-template-syntax.js";

/** A single value: numbers and booleans are written as strings. */
export type UriTemplateScalar = string | number | boolean;

/**
 * What a variable expands from (RFC 6570 section 2.3): a string, a list, or an associative array
 * (a plain object). `undefined`, `null`, an empty list and an empty object are "undefined": the
 * variable is left out, with its separator and name.
 */
export type UriTemplateValue =
  | UriTemplateScalar
  | readonly UriTemplateScalar[]
  | Readonly<Record<string, UriTemplateScalar>>
  | null
  | undefined;

// encodeURIComponent leaves these five unencoded, but RFC 6570 allows only the unreserved set.
const SUB_DELIMS_LEFT = /[!'()*]/g;
// Reserved expansion keeps percent-escapes: encode a lone "%" and everything between escapes.
const RESERVED_CHUNK = /%(?![0-9A-Fa-f]{2})|[^%]+/g;

/** Percent-encodes everything outside the unreserved set (`A-Z a-z 0-9 - . _ ~`). */
function encodeUnreserved(value: string): string {
  return encodeURIComponent(value).replace(
    SUB_DELIMS_LEFT,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Percent-encodes everything outside the unreserved and reserved sets, keeping `%XX` escapes. */
function encodeReserved(value: string): string {
  return value.replace(RESERVED_CHUNK, (chunk) =>
    chunk === "%" ? "%25" : encodeURI(chunk).replaceAll("%5B", "[").replaceAll("%5D", "]"),
  );
}

/** The first `max` characters (code points, as RFC 6570 counts them) of `value`. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const chars = Array.from(value);
  return chars.length <= max ? value : chars.slice(0, max).join("");
}

/** Expands parsed template parts with `values`, following RFC 6570 Appendix A. */
export function expandParts(
  parts: readonly TemplatePart[],
  values: Readonly<Record<string, UriTemplateValue>>,
): string {
  let uri = "";
  for (const part of parts) {
    if (typeof part === "string") {
      uri += part;
      continue;
    }
    const { rule } = part;
    let defined = false;
    for (const spec of part.specs) {
      // Own properties only: a variable named "constructor" is not Object.prototype's.
      const value = Object.hasOwn(values, spec.name) ? values[spec.name] : undefined;
      const text = expandValue(spec, value, rule);
      if (text === undefined) continue;
      uri += (defined ? rule.sep : rule.first) + text;
      defined = true;
    }
  }
  return uri;
}

function expandValue(spec: VarSpec, value: UriTemplateValue, rule: OperatorRule): string | undefined {
  if (value === undefined || value === null) return undefined;
  const encode = rule.allowReserved ? encodeReserved : encodeUnreserved;
  const named = (text: string, name: string = spec.name): string =>
    rule.named ? name + (text === "" ? rule.ifEmpty : `=${text}`) : text;
  if (typeof value !== "object") {
    const text = String(value);
    return named(encode(spec.prefix === undefined ? text : truncate(text, spec.prefix)));
  }
  if (spec.prefix !== undefined) {
    throw new FastestMcpError(
      "FMCP_ERR_RESOURCE_URI_INVALID",
      `Cannot expand {${spec.name}:${spec.prefix}}: a prefix applies to a string, not to a list or an object.`,
    );
  }
  if (isList(value)) {
    if (value.length === 0) return undefined;
    const items = value.map((item) => encode(String(item)));
    if (!spec.explode) return named(items.join(","));
    return rule.named ? items.map((item) => named(item)).join(rule.sep) : items.join(rule.sep);
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return undefined;
  if (!spec.explode) {
    return named(entries.map(([key, item]) => `${encode(key)},${encode(String(item))}`).join(","));
  }
  return entries
    .map(([key, item]) =>
      rule.named ? named(encode(String(item)), encode(key)) : `${encode(key)}=${encode(String(item))}`,
    )
    .join(rule.sep);
}

function isList(value: object): value is readonly UriTemplateScalar[] {
  return Array.isArray(value);
}
