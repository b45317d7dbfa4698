/**
 * The media-type rules of Streamable HTTP, read as RFC 9110 writes them (§8.3.1 media types,
 * §12.5.1 Accept): exact type/subtype tokens, case-insensitive, parameters after `;`, and q-values.
 * Substring matching would take `text/plain; application/json` (which a browser sends cross-origin
 * without a preflight) for JSON.
 */

/** `Accept` allows `application/json`. */
export const ACCEPTS_JSON = 1;
/** `Accept` allows `text/event-stream`. */
export const ACCEPTS_SSE = 2;
/** Both are allowed, JSON with a higher q-value: answer JSON. */
export const PREFERS_JSON = 4;

/** Distinct header values remembered per cache; past it, values are parsed each time. */
const CACHE_LIMIT = 64;
/** Characters of a header parsed at most; longer values are refused (no real client sends one). */
const HEADER_LIMIT = 4096;

/** RFC 9110 `tchar`: the characters of a token. */
const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

interface MediaRange {
  /** Lower-cased `type/subtype` (either may be `*`). */
  readonly type: string;
  readonly subtype: string;
  /** Lower-cased parameter names and their (unquoted) values, q excluded. */
  readonly params: ReadonlyMap<string, string>;
  /** The q-value (1 when absent). */
  readonly q: number;
}

/** Splits on `sep` outside quoted strings. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A parameter value: a token, or a quoted-string with its escapes removed. */
function paramValue(raw: string): string | undefined {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    return raw.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return TCHAR.test(raw) ? raw : undefined;
}

/** A q-value per RFC 9110 §12.4.2: 0 to 1 with at most three decimals. */
function qValue(raw: string): number | undefined {
  return /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(raw) ? Number(raw) : undefined;
}

/**
 * One media type or range (`type/subtype *( OWS ";" OWS parameter )`), or undefined when it is
 * not well formed. `withQ` reads a `q` parameter as the weight (Accept) and stops at it: what
 * follows q is an accept-extension, not a media-type parameter.
 */
function parseMediaRange(text: string, withQ: boolean): MediaRange | undefined {
  const [first = "", ...rest] = splitOutsideQuotes(text, ";");
  // Whitespace may surround the media type (OWS), never split it: `application /json` is not JSON.
  const head = first.trim();
  const slash = head.indexOf("/");
  if (slash === -1) return undefined;
  const type = head.slice(0, slash).toLowerCase();
  const subtype = head.slice(slash + 1).toLowerCase();
  if (!TCHAR.test(type) || !TCHAR.test(subtype)) return undefined;
  if (type === "*" && subtype !== "*") return undefined;
  const params = new Map<string, string>();
  let q = 1;
  for (const part of rest) {
    const param = part.trim();
    if (param === "") continue; // RFC 9110 allows empty parameters: `text/plain;;charset=utf-8`.
    const eq = param.indexOf("=");
    if (eq <= 0) return undefined;
    const name = param.slice(0, eq).toLowerCase();
    const value = paramValue(param.slice(eq + 1));
    if (!TCHAR.test(name) || value === undefined) return undefined;
    if (withQ && name === "q") {
      const weight = qValue(value);
      if (weight === undefined) return undefined;
      q = weight;
      break;
    }
    params.set(name, value);
  }
  return { type, subtype, params, q };
}

/** Remembers a bounded number of header verdicts: clients send the same few values again and again. */
function memo<T>(compute: (value: string) => T): (value: string) => T {
  const cache = new Map<string, T>();
  return (value) => {
    let result = cache.get(value);
    if (result === undefined) {
      result = compute(value);
      // Full: later values are computed each time rather than evicting (a flood of distinct
      // values cannot grow memory or churn the entries real clients use).
      if (cache.size < CACHE_LIMIT) cache.set(value, result);
    }
    return result;
  };
}

/**
 * Whether a `Content-Type` header names JSON: `application/json`, any case and spacing, with no
 * charset or `charset=utf-8` (JSON is UTF-8; RFC 8259 §8.1). Other parameters are ignored.
 */
export const isJsonContentType: (value: string) => boolean = memo((value) => {
  if (value.length > HEADER_LIMIT) return false;
  const media = parseMediaType(value);
  if (media === undefined || media.type !== "application" || media.subtype !== "json") return false;
  const charset = media.params.get("charset");
  return charset === undefined || charset.toLowerCase() === "utf-8";
});

/** A `Content-Type` value parsed (no q-value), or undefined when it is not one media type. */
export function parseMediaType(value: string): MediaRange | undefined {
  return parseMediaRange(value, false);
}

/** How specific a range is for a type: 3 exact, 2 `type/*`, 1 `*\/*`, 0 not matching. */
function specificity(range: MediaRange, type: string, subtype: string): number {
  if (range.type === "*") return 1;
  if (range.type !== type) return 0;
  if (range.subtype === "*") return 2;
  return range.subtype === subtype ? 3 : 0;
}

/** The q-value `ranges` give a type: that of the most specific range matching it (RFC 9110 §12.5.1). */
function weightOf(ranges: readonly MediaRange[], type: string, subtype: string): number {
  let best = 0;
  let q = 0;
  for (const range of ranges) {
    const rank = specificity(range, type, subtype);
    if (rank > best || (rank === best && rank > 0 && range.q > q)) {
      best = rank;
      q = range.q;
    }
  }
  return q;
}

/**
 * What an `Accept` header allows of the two types MCP answers with, as {@link ACCEPTS_JSON} |
 * {@link ACCEPTS_SSE} | {@link PREFERS_JSON} flags. Media ranges and q-values count
 * (`application/*`, `*\/*`, `text/event-stream;q=0` excludes); malformed elements are skipped.
 * An empty header allows nothing: MCP requires clients to list what they accept.
 */
export const acceptedTypes: (accept: string) => number = memo((accept) => {
  // The header every MCP client sends: no parsing needed.
  if (accept === "application/json, text/event-stream") return ACCEPTS_JSON | ACCEPTS_SSE;
  if (accept.length > HEADER_LIMIT) return 0;
  const ranges: MediaRange[] = [];
  for (const element of splitOutsideQuotes(accept, ",")) {
    if (element.trim() === "") continue;
    const range = parseMediaRange(element, true);
    if (range !== undefined) ranges.push(range);
  }
  const json = weightOf(ranges, "application", "json");
  const sse = weightOf(ranges, "text", "event-stream");
  return (
    (json > 0 ? ACCEPTS_JSON : 0) | (sse > 0 ? ACCEPTS_SSE : 0) | (json > sse && sse > 0 ? PREFERS_JSON : 0)
  );
});
