/** What a `WWW-Authenticate: Bearer …` challenge asks for (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  /** The URL of the server's protected resource metadata. */
  resourceMetadata?: string;
  /** The scopes the request needs, space-separated. */
  scope?: string;
  /** `invalid_token`, `insufficient_scope`, `invalid_request`. */
  error?: string;
}

/**
 * The parameters of the Bearer challenge in a `WWW-Authenticate` header; other schemes in the
 * same header are skipped. Values may be quoted strings (with `\` escapes) or tokens.
 */
export function parseBearerChallenge(header: string | null): BearerChallenge {
  if (header === null) return {};
  const start = header.search(/(^|[\s,])Bearer(\s|$)/i);
  if (start < 0) return {};
  const params: Record<string, string> = {};
  const pattern = /\s*,?\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/y;
  pattern.lastIndex = header.toLowerCase().indexOf("bearer", start) + "bearer".length;
  for (let match = pattern.exec(header); match !== null; match = pattern.exec(header)) {
    const [, name, quoted, token] = match;
    const key = (name as string).toLowerCase();
    // A second scheme starts where a name is followed by a space, not "=": the sticky regex stops there.
    params[key] ??= quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : (token as string);
  }
  const challenge: BearerChallenge = {};
  if (params.resource_metadata) challenge.resourceMetadata = params.resource_metadata;
  if (params.scope) challenge.scope = params.scope;
  if (params.error) challenge.error = params.error;
  return challenge;
}
