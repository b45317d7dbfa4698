import { isObject } from "../../protocol/is-object.js";
import { isProtocolError, ProtocolError } from "../../protocol/protocol-error.js";
import { META_KEYS } from "../../protocol/revisions/2026-07-28.js";
import { findStatelessRevision, isStatelessVersion } from "../../protocol/revisions.js";

/** What `server/discover` told a client that adopts a stateless revision. */
export interface DiscoveredServer {
  protocolVersion: string;
  serverInfo: { name: string; version: string; title?: string } | undefined;
  capabilities: Record<string, unknown>;
  instructions: string | undefined;
}

/**
 * The verdict of the `server/discover` probe: speak the stateless revision, `initialize`, or
 * probe once more with a version the server's `-32022` listed.
 */
export type ProbeVerdict =
  | { era: "modern"; server: DiscoveredServer }
  | { era: "legacy" }
  | { era: "retry"; version: string };

/**
 * How the probe was sent: `pinned` never falls back; `stdio` reads a timeout as a legacy server;
 * `retried` once a corrective probe was sent (there is only one).
 */
export interface ProbeContext {
  readonly version: string;
  readonly pinned: boolean;
  readonly stdio: boolean;
  readonly retried?: boolean;
}

/**
 * Runs the probe: `send` sends `server/discover` as a request of `version`, and is called again
 * (once) with the version a `-32022` answer named, as the spec lets a client retry.
 * @returns what the server described, or undefined for a 2025 server.
 * @throws {ProtocolError} as {@link probeVerdict}.
 */
export async function discoverServer(
  context: ProbeContext,
  send: (version: string) => Promise<Record<string, unknown>>,
): Promise<DiscoveredServer | undefined> {
  let version = context.version;
  for (let retried = false; ; retried = true) {
    let outcome: { result: Record<string, unknown> } | { error: unknown };
    try {
      outcome = { result: await send(version) };
    } catch (error) {
      outcome = { error };
    }
    const verdict = probeVerdict(outcome, { ...context, version, retried });
    if (verdict.era === "modern") return verdict.server;
    if (verdict.era === "legacy") return undefined;
    version = verdict.version;
  }
}

/** `-32022`: the server does not serve the version the probe named. */
const UNSUPPORTED_VERSION = -32022;

/**
 * Reads the answer to the `server/discover` probe the way the official SDK v2 client does
 * (its probeClassifier): a discover result that lists our version is a modern server; any other
 * JSON-RPC error, and any HTTP 4xx but 401/403 (a 2025 server's `400 session-required`, `404`,
 * `405`), is a legacy one, so `auto` falls back to `initialize`. An authorization wall, a 5xx,
 * a server that could not be reached, and a `-32022` that lists only stateless versions we do not
 * speak are errors either way: falling back would hide them. A pinned probe fails on every legacy
 * verdict, with `unsupported-protocol-version`.
 * @throws {ProtocolError} for the error verdicts, and for a legacy verdict when pinned.
 */
export function probeVerdict(
  outcome: { result: Record<string, unknown> } | { error: unknown },
  context: ProbeContext,
): ProbeVerdict {
  const verdict =
    "result" in outcome ? fromResult(outcome.result, context) : fromError(outcome.error, context);
  if (verdict.era === "legacy" && context.pinned) {
    throw new ProtocolError(
      "unsupported-protocol-version",
      `The server did not offer protocol version ${context.version} through server/discover, and the client is pinned to it (protocolVersion: "${context.version}"): use "auto" to fall back to initialize.`,
      { requested: context.version },
      "error" in outcome ? { cause: outcome.error } : undefined,
    );
  }
  return verdict;
}

function fromResult(result: Record<string, unknown>, context: ProbeContext): ProbeVerdict {
  const { supportedVersions, capabilities } = result;
  if (!Array.isArray(supportedVersions) || !isObject(capabilities)) return { era: "legacy" };
  if (!supportedVersions.includes(context.version)) return { era: "legacy" };
  const meta = isObject(result._meta) ? result._meta : {};
  const serverInfo = result.serverInfo ?? meta[META_KEYS.serverInfo];
  return {
    era: "modern",
    server: {
      protocolVersion: context.version,
      serverInfo: isObject(serverInfo) ? (serverInfo as DiscoveredServer["serverInfo"]) : undefined,
      capabilities,
      instructions: typeof result.instructions === "string" ? result.instructions : undefined,
    },
  };
}

function fromError(error: unknown, context: ProbeContext): ProbeVerdict {
  if (!isProtocolError(error)) throw error;
  const data = error.data as { status?: unknown; supported?: unknown } | undefined;
  const status = typeof data?.status === "number" ? data.status : undefined;
  // The client's own failures (unreachable, closed, OAuth) and authorization walls are not era
  // evidence. A stdio server that does not answer the probe at all is a legacy one (the SDK's rule).
  if (error.reason === "request-timeout") {
    if (context.stdio) return { era: "legacy" };
    throw error;
  }
  if (error.reason === "transport-closed" || error.reason === "connection-failed") throw error;
  if (error.reason.startsWith("auth-")) throw error;
  if (status === 401 || status === 403 || (status !== undefined && status >= 500)) throw error;
  if (error.code === UNSUPPORTED_VERSION && Array.isArray(data?.supported)) {
    const modern = data.supported.filter((v): v is string => typeof v === "string" && isStatelessVersion(v));
    // A version we speak: probe again with it (once). Only ones we do not: an error, not a fallback.
    const spoken = modern.find((version) => findStatelessRevision(version) !== undefined);
    if (spoken !== undefined && context.retried !== true && (!context.pinned || spoken === context.version)) {
      return { era: "retry", version: spoken };
    }
    if (modern.length > 0 && !context.pinned) throw error;
  }
  return { era: "legacy" };
}
