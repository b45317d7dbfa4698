/**
 * Who is calling: what the server's token verifier made of a request's access token. Handlers
 * read it as `ctx.auth`; the server binds sessions and tasks to it (docs/auth.md). The token
 * itself is not kept here on purpose: MCP forbids passing it through to other services.
 */
export interface AuthInfo {
  /** The end user (or, for a client acting on its own behalf, the client): the token's `sub`. */
  readonly subject: string;
  /** The OAuth client the token was issued to (`client_id`, `azp`, …), when the token names it. */
  readonly clientId?: string | undefined;
  /** The authorization server that issued the token (`iss`), when known. */
  readonly issuer?: string | undefined;
  /** The scopes the token grants. */
  readonly scopes: readonly string[];
  /** When the token expires, in seconds since the epoch (`exp`), when known. */
  readonly expiresAt?: number | undefined;
  /** Every claim of the token (a JWT's payload), for rules of your own. */
  readonly claims: Readonly<Record<string, unknown>>;
}
