import { FastestMcpError } from "../errors.js";
import { CACHE_HINTS } from "../protocol/revisions/2026-07-28.js";

/** Who may reuse a cached result: only the client that got it (`"private"`), or anyone (`"public"`). */
export type CacheScope = "public" | "private";

/**
 * How long a client may reuse a list or read result without asking again, and who may
 * (MCP 2026-07-28, SEP-2549: `ttlMs` and `cacheScope` on `tools/list`, `resources/list`,
 * `resources/templates/list`, `prompts/list`, `resources/read` and `server/discover`). The 2025
 * revisions have no such fields, and their results never carry them.
 */
export interface CacheHints {
  /** Milliseconds the result stays fresh, a whole number >= 0; `0` (default): do not reuse. */
  ttlMs?: number;
  /** Default `"private"`: never shared across authorization contexts. */
  cacheScope?: CacheScope;
}

/** Cache hints with nothing left to default. */
export interface ResolvedCacheHints {
  readonly ttlMs: number;
  readonly cacheScope: CacheScope;
}

/** What a result carries when nothing more specific is configured (what the official SDK sends too). */
export const DEFAULT_CACHE_HINTS: ResolvedCacheHints = Object.freeze({ ttlMs: 0, cacheScope: "private" });

/**
 * Checks a `cache` option (of the server, a tool, a resource, a template or a prompt).
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` unless it is an object whose `ttlMs` is a
 * whole number >= 0 and whose `cacheScope` is `"public"` or `"private"` (each optional).
 */
export function checkCacheHints(value: unknown, what: string): CacheHints | undefined {
  if (value === undefined) return undefined;
  const invalid = (detail: string) =>
    new FastestMcpError("FMCP_ERR_OPTION_INVALID", `The cache option of ${what} ${detail}`);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw invalid("must be an object: { ttlMs?, cacheScope? }.");
  const { ttlMs, cacheScope } = value as Record<string, unknown>;
  if (ttlMs !== undefined && !(Number.isSafeInteger(ttlMs) && (ttlMs as number) >= 0))
    throw invalid(`needs ttlMs as a whole number of milliseconds >= 0, got ${String(ttlMs)}.`);
  if (cacheScope !== undefined && cacheScope !== "public" && cacheScope !== "private")
    throw invalid(`needs cacheScope "public" or "private", got ${JSON.stringify(cacheScope)}.`);
  const hints: CacheHints = {};
  if (ttlMs !== undefined) hints.ttlMs = ttlMs as number;
  if (cacheScope !== undefined) hints.cacheScope = cacheScope;
  return hints;
}

/** A component's own hints, completed from the server's defaults. */
export function resolveCacheHints(
  own: CacheHints | undefined,
  defaults: ResolvedCacheHints,
): ResolvedCacheHints {
  if (own === undefined) return defaults;
  return { ttlMs: own.ttlMs ?? defaults.ttlMs, cacheScope: own.cacheScope ?? defaults.cacheScope };
}

/**
 * The hints of a list: it may be reused only as long, and only as widely, as every entry may (the
 * shortest `ttlMs`; `"private"` if any entry is). An empty list takes the server's defaults, and
 * a list that depends on who asks (access rules: `perCaller`) is always `"private"`.
 */
export function listCacheHints(
  entries: Iterable<CacheHints | undefined>,
  defaults: ResolvedCacheHints,
  perCaller: boolean,
): ResolvedCacheHints {
  let ttlMs: number | undefined;
  let cacheScope: CacheScope = perCaller ? "private" : "public";
  let any = false;
  for (const own of entries) {
    any = true;
    const hints = resolveCacheHints(own, defaults);
    ttlMs = ttlMs === undefined ? hints.ttlMs : Math.min(ttlMs, hints.ttlMs);
    if (hints.cacheScope === "private") cacheScope = "private";
  }
  if (!any) return perCaller ? { ttlMs: defaults.ttlMs, cacheScope: "private" } : defaults;
  return { ttlMs: ttlMs as number, cacheScope };
}

/**
 * Marks `result` with its cache hints, for a revision that sends them (see `CACHE_HINTS`). Not
 * enumerable: the in-process API hands the same object back, and it must compare equal to the
 * result the caller expects.
 */
export function withCacheHints<R extends object>(result: R, hints: ResolvedCacheHints): R {
  Object.defineProperty(result, CACHE_HINTS, { value: hints, enumerable: false });
  return result;
}
