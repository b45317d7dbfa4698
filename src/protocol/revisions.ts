/**
 * The MCP protocol revisions this server speaks, newest first, and what each one allows. A
 * session picks its profile at `initialize`; code asks the profile instead of comparing dates.
 */
export interface ProtocolRevision {
  readonly version: string;
  /** MCP Tasks (SEP-1686): `params.task`, `tasks/*`, `notifications/tasks/status`. */
  readonly tasks: boolean;
  /** `title` on tools and implementations, `structuredContent`/`outputSchema`. */
  readonly structuredOutput: boolean;
}

export const LATEST_PROTOCOL_VERSION = "2025-11-25";

export const REVISIONS: readonly ProtocolRevision[] = [
  { version: "2025-11-25", tasks: true, structuredOutput: true },
  { version: "2025-06-18", tasks: false, structuredOutput: true },
  { version: "2025-03-26", tasks: false, structuredOutput: false },
];

/** The revision assumed for HTTP requests without an `MCP-Protocol-Version` header (spec rule). */
export const DEFAULT_HTTP_PROTOCOL_VERSION = "2025-03-26";

const BY_VERSION = new Map(REVISIONS.map((revision) => [revision.version, revision]));

/** The profile of a supported version, or `undefined`. */
export function findRevision(version: string): ProtocolRevision | undefined {
  return BY_VERSION.get(version);
}

/** Version negotiation: the client's version when we speak it, else our latest. */
export function negotiateRevision(requested: unknown): ProtocolRevision {
  return (
    (typeof requested === "string" ? BY_VERSION.get(requested) : undefined) ??
    (REVISIONS[0] as ProtocolRevision)
  );
}
