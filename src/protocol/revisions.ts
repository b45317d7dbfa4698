import type { JsonRpcErrorObject } from "./protocol-error.js";
import { REVISION_2026_07_28 } from "./revisions/2026-07-28.js";
import { LEGACY_METHODS } from "./revisions/legacy-methods.js";
import type { TaskExtensionWire } from "./revisions/tasks-extension.js";

/**
 * The MCP protocol revisions this server speaks, and what each one allows. A legacy (2025) session
 * picks its profile at `initialize`; a stateless (2026-07-28) request names its own in `_meta`.
 * Code asks the profile instead of comparing dates: what differs between revisions lives in the
 * profile (and, for a stateless revision, its file under `revisions/`), not in `if (version)`.
 */
export interface ProtocolRevision {
  readonly version: string;
  /** MCP Tasks (SEP-1686): `params.task`, `tasks/*`, `notifications/tasks/status`. */
  readonly tasks: boolean;
  /**
   * The tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663), opted into per request: its
   * wire shapes for tasks kept in the same store as 2025's. Absent: the revision has no such extension.
   */
  readonly taskExtension?: TaskExtensionWire;
  /** `title` on tools and implementations, `structuredContent`/`outputSchema`. */
  readonly structuredOutput: boolean;
  /**
   * Stateless (2026-07-28 and later): no `initialize`, no session; every request carries its
   * revision and the client's capabilities in `_meta`.
   */
  readonly stateless: boolean;
  /** The request methods this revision has: any other is answered `-32601`. */
  readonly methods: ReadonlySet<string>;
  /**
   * The requests that ask the client for input with an `input_required` result and its retry
   * (SEP-2322) instead of requests to the client; `ctx.elicit()`/`ctx.sample()`/`ctx.listRoots()`
   * fail in any other. Absent: the revision sends requests to the client.
   */
  readonly inputRequiredMethods?: ReadonlySet<string>;
  /**
   * Dresses a handler's result for the wire (a fresh object; the handler's is not changed).
   * Absent: results go as the handlers made them.
   */
  readonly shapeResult?: (
    method: string,
    result: Record<string, unknown>,
    serverInfo: Readonly<Record<string, unknown>>,
  ) => Record<string, unknown>;
  /**
   * The JSON text of what {@link shapeResult} adds to `result` (its last members and closing
   * brace), when the shaped result is exactly `result`'s own members followed by it, so the
   * response can be written without serialising the same members for every result; `undefined`
   * when it is not (then the shaped result is serialised as it is).
   */
  readonly resultSuffix?: (
    method: string,
    result: Record<string, unknown>,
    serverInfo: Readonly<Record<string, unknown>>,
  ) => string | undefined;
  /** Rewrites an error for the wire, where this revision numbers it differently. Absent: as is. */
  readonly shapeError?: (error: JsonRpcErrorObject) => JsonRpcErrorObject;
}

export const LATEST_PROTOCOL_VERSION = "2025-11-25";

/** The legacy revisions (negotiated by `initialize`), newest first. */
export const REVISIONS: readonly ProtocolRevision[] = [
  { version: "2025-11-25", tasks: true, structuredOutput: true, stateless: false, methods: LEGACY_METHODS },
  { version: "2025-06-18", tasks: false, structuredOutput: true, stateless: false, methods: LEGACY_METHODS },
  { version: "2025-03-26", tasks: false, structuredOutput: false, stateless: false, methods: LEGACY_METHODS },
];

/**
 * The stateless revisions (chosen per request by `_meta`), newest first: what `server/discover`
 * lists as `supportedVersions`.
 */
export const STATELESS_REVISIONS: readonly ProtocolRevision[] = [REVISION_2026_07_28];

/** The revision assumed for HTTP requests without an `MCP-Protocol-Version` header (spec rule). */
export const DEFAULT_HTTP_PROTOCOL_VERSION = "2025-03-26";

const BY_VERSION = new Map(REVISIONS.map((revision) => [revision.version, revision]));
const STATELESS_BY_VERSION = new Map(STATELESS_REVISIONS.map((revision) => [revision.version, revision]));

/** The profile of a supported legacy version, or `undefined`. */
export function findRevision(version: string): ProtocolRevision | undefined {
  return BY_VERSION.get(version);
}

/** The profile of a supported stateless version, or `undefined`. */
export function findStatelessRevision(version: string): ProtocolRevision | undefined {
  return STATELESS_BY_VERSION.get(version);
}

/** Whether `version` is a stateless revision's, served or not: every revision from 2026-07-28 on. */
export function isStatelessVersion(version: string): boolean {
  // Revisions are dates: an ISO date string compares as the date does.
  return /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= REVISION_2026_07_28.version;
}

/**
 * Version negotiation: the client's version when we serve it, else the newest we serve;
 * undefined when `served` is empty.
 */
export function negotiateRevision(
  requested: unknown,
  served: readonly ProtocolRevision[] = REVISIONS,
): ProtocolRevision | undefined {
  const wanted = typeof requested === "string" ? BY_VERSION.get(requested) : undefined;
  return wanted !== undefined && served.includes(wanted) ? wanted : served[0];
}
