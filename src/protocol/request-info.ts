/**
 * A read-only view of the HTTP request a message arrived in: `ctx.request` in handlers. The
 * `Authorization` header is never shown (MCP forbids passing the caller's token on; read the
 * verified identity from `ctx.auth`).
 */
export interface RequestInfo {
  /** The HTTP method (`POST`, `GET`, …). */
  readonly method: string;
  /** The request path, without the query string. */
  readonly path: string;
  /** A request header by name (case-insensitive); the first value when it is repeated. */
  header(name: string): string | undefined;
}
