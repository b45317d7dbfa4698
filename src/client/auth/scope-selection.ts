/** What the scope of an authorization request is chosen from. */
export interface ScopeSources {
  /** `scope` of the server's `WWW-Authenticate` challenge. */
  challenge: string | undefined;
  /** `scopes_supported` of the protected resource metadata. */
  resourceScopes: readonly string[] | undefined;
  /** The provider's own `scope`. */
  configured: string | undefined;
  /** The scopes asked for before, kept on a step-up so it never narrows the token. */
  previous: string | undefined;
  /** `scopes_supported` of the authorization server, for `offline_access`. */
  serverScopes: readonly string[] | undefined;
  /** Ask for `offline_access` where the authorization server offers it. */
  offlineAccess: boolean;
}

/**
 * The scope to ask for (MCP "Scope Selection Strategy"): the challenge's, else every scope in
 * the resource metadata, else the provider's, else none (the parameter is omitted). A step-up
 * adds the scopes asked for before; `offline_access` is added only where the authorization
 * server lists it (SEP-2207). Undefined: send no `scope`.
 */
export function selectScope(sources: ScopeSources): string | undefined {
  const base =
    sources.challenge ??
    (sources.resourceScopes !== undefined && sources.resourceScopes.length > 0
      ? sources.resourceScopes.join(" ")
      : sources.configured);
  const scopes = new Set([...(sources.previous ?? "").split(" "), ...(base ?? "").split(" ")]);
  scopes.delete("");
  if (sources.offlineAccess && scopes.size > 0 && sources.serverScopes?.includes("offline_access")) {
    scopes.add("offline_access");
  }
  return scopes.size === 0 ? undefined : [...scopes].join(" ");
}
