import { FastestMCPServer } from "./server/fastestmcp-server.js";
import { createFetchHandler } from "./transports/http/fetch.js";
import { type StreamableHttpOptions, StreamableHttpTransport } from "./transports/http/streamable-http.js";

/** What every HTTP front has besides being a handler: its transport, and a way to stop it. */
export interface HttpFront {
  /** The transport behind the handler (session count, `endIdleSessions()`). */
  readonly transport: StreamableHttpTransport;
  /**
   * Ends the sessions opened through this front (their requests are aborted, their streams
   * closed) and stops its timers; requests arriving later get `503`. `server.close()` calls it.
   */
  close(): Promise<void>;
}

/** A web-standard `Request → Response` handler for the MCP endpoint, from `server.fetchHandler()`. */
export type FetchHandler = ((request: Request) => Promise<Response>) & HttpFront;

/** Something `server.close()` closes: a front, a `listen()` server, a stdio transport. */
export interface Closable {
  close(): Promise<void>;
}

/** The open fronts of a server, for the subclass that adds the Node fronts (no public API). */
export let frontsOf: (server: FastestMCP) => Set<Closable>;

/**
 * A FastestMCP server with its web-standard fronts, `fetch()` and `fetchHandler()` (Hono, Bun,
 * Deno, Cloudflare Workers, any `Request → Response` runtime). It and everything it reaches use
 * web-standard APIs only, so it runs wherever `Request` and `Response` do: `fastestmcp/fetch`
 * exports it as `FastestMCP`. The root entry's `FastestMCP` extends it with the Node fronts
 * (`listen()`, `nodeHandler()`, `stdio()`). All share one dispatch with the in-process API.
 */
export class FastestMCP extends FastestMCPServer {
  static {
    frontsOf = (server) => server.#fronts;
  }

  #fetch: FetchHandler | undefined;
  /** Every front not yet closed: `close()` closes them. */
  readonly #fronts = new Set<Closable>();

  /**
   * A web-standard handler for the MCP endpoint (Hono, Bun, Deno, Workers). Only loopback `Host`
   * names pass unless you set `allowedHosts` (see docs/http.md#security). `handler.close()` (or
   * `server.close()`) ends its sessions and timers.
   */
  fetchHandler(options: StreamableHttpOptions = {}): FetchHandler {
    const transport = httpTransport(this, options);
    return attachFront(this, createFetchHandler(transport), transport);
  }

  /**
   * Serves one web-standard request with default options (loopback `Host` names only, same-origin
   * `Origin`); use {@link fetchHandler} to set options. Closed by `server.close()`.
   */
  fetch(request: Request): Promise<Response> {
    this.#fetch ??= this.fetchHandler();
    return this.#fetch(request);
  }

  /**
   * Ends the `subscriptions/listen` streams (each answers its request), closes every front (their
   * sessions end, their timers stop and later requests get `503`; a stdio transport stops
   * reading), then ends the remaining sessions and tasks.
   */
  override async close(): Promise<void> {
    // Listen streams end with their answer while the fronts still hold their connections.
    await this.sessions.closeSubscriptions();
    const fronts = [...this.#fronts];
    await Promise.all(fronts.map((front) => front.close()));
    await super.close();
  }
}

/** A Streamable HTTP transport on `server`'s sessions, logging where the server does. */
export function httpTransport(server: FastestMCP, options: StreamableHttpOptions): StreamableHttpTransport {
  return new StreamableHttpTransport(server.sessions, { logger: server.logger, ...options });
}

/** `handler` with its transport and a `close()`, closed by `server.close()` until it closes itself. */
export function attachFront<H extends (...args: never[]) => unknown>(
  server: FastestMCP,
  handler: H,
  transport: StreamableHttpTransport,
): H & HttpFront {
  const fronts = frontsOf(server);
  let closing: Promise<void> | undefined;
  const front: H & HttpFront = Object.assign(handler, {
    transport,
    close: (): Promise<void> => {
      fronts.delete(front);
      closing ??= transport.close();
      return closing;
    },
  });
  fronts.add(front);
  return front;
}
