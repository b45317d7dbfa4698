import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FastestMCPServer } from "./server/server.js";
import { createFetchHandler } from "./transports/http/fetch.js";
import { createNodeHandler } from "./transports/http/node.js";
import { listenGuard } from "./transports/http/request-guard.js";
import { type StreamableHttpOptions, StreamableHttpTransport } from "./transports/http/streamable-http.js";
import { type StdioOptions, type StdioServerTransport, serveStdio } from "./transports/stdio.js";

/** Options of `server.listen()`. */
export interface ListenOptions extends StreamableHttpOptions {
  /** Interface to bind (default `127.0.0.1`: reachable from this machine only). */
  host?: string;
  /** Port (default 0: any free port; read it from the handle). */
  port?: number;
}

/** A running HTTP server. */
export interface HttpServerHandle {
  /** The MCP endpoint, e.g. `http://127.0.0.1:4100/mcp`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly transport: StreamableHttpTransport;
  /** Stops accepting connections, ends the sessions opened here and closes their streams. */
  close(): Promise<void>;
}

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

/** A node:http request listener for the MCP endpoint, from `server.nodeHandler()`. */
export type NodeHandler = ((req: IncomingMessage, res: ServerResponse) => void) & HttpFront;

/** A web-standard `Request → Response` handler for the MCP endpoint, from `server.fetchHandler()`. */
export type FetchHandler = ((request: Request) => Promise<Response>) & HttpFront;

/**
 * A FastestMCP server with its transports: `listen()` (Streamable HTTP on node:http),
 * `fetch()` / `fetchHandler()` (web-standard), `nodeHandler()` (Express, Fastify, node:http) and
 * `stdio()`.
 * All share one dispatch with the in-process API.
 */
export class FastestMCP extends FastestMCPServer {
  #fetch: FetchHandler | undefined;
  /** Every front and `listen()` server not yet closed: `close()` closes them. */
  readonly #fronts = new Set<{ close(): Promise<void> }>();

  /**
   * Serves the MCP endpoint over Streamable HTTP. Bound to loopback by default. Against DNS
   * rebinding, only `Host` values naming the bound port on a loopback name (or the bound address)
   * pass unless `allowedHosts` says otherwise; see docs/http.md#security.
   */
  async listen(options: ListenOptions = {}): Promise<HttpServerHandle> {
    const { host = "127.0.0.1", port = 0, ...http } = options;
    let transport: StreamableHttpTransport | undefined;
    let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (transport === undefined) {
        res.writeHead(503).end();
        return;
      }
      handler(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const bound = (server.address() as AddressInfo).port;
    try {
      transport = this.#transport({ ...listenGuard(host, bound), ...http });
    } catch (error) {
      // A bad option (e.g. an allowedHosts entry that is not a host) must not leave a port open.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
    handler = createNodeHandler(transport);
    const urlHost = host.includes(":") ? `[${host}]` : host;
    const active = transport;
    let closing: Promise<void> | undefined;
    const handle: HttpServerHandle = {
      url: `http://${urlHost}:${bound}${active.path}`,
      host,
      port: bound,
      transport: active,
      close: () => {
        closing ??= (async () => {
          this.#fronts.delete(handle);
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          await active.close();
          server.closeAllConnections();
          await closed;
        })();
        return closing;
      },
    };
    this.#fronts.add(handle);
    return handle;
  }

  /**
   * A node:http request listener for the MCP endpoint (mount it in Express, Fastify or
   * `http.createServer`). It cannot know the names it is reached by: only loopback `Host` names
   * pass unless you set `allowedHosts` (see docs/http.md#security). `handler.close()` (or
   * `server.close()`) ends its sessions and timers.
   */
  nodeHandler(options: StreamableHttpOptions = {}): NodeHandler {
    const transport = this.#transport(options);
    return this.#front(createNodeHandler(transport), transport);
  }

  /**
   * A web-standard handler for the MCP endpoint (Hono, Bun, Deno, Workers). Only loopback `Host`
   * names pass unless you set `allowedHosts` (see docs/http.md#security). `handler.close()` (or
   * `server.close()`) ends its sessions and timers.
   */
  fetchHandler(options: StreamableHttpOptions = {}): FetchHandler {
    const transport = this.#transport(options);
    return this.#front(createFetchHandler(transport), transport);
  }

  /**
   * Serves this server over stdio (newline-delimited JSON-RPC on stdin/stdout) until stdin ends.
   * Only protocol messages go to stdout; write your own output to stderr. `server.close()` closes it.
   */
  async stdio(options: StdioOptions = {}): Promise<StdioServerTransport> {
    const transport = await serveStdio(this, options);
    this.#fronts.add(transport);
    void transport.closed.then(() => this.#fronts.delete(transport));
    return transport;
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
   * Closes every front first (`listen()` servers, handlers and `fetch()`: their sessions end, their
   * timers stop and later requests get `503`; `stdio()`: it stops reading), then ends the remaining
   * sessions and tasks.
   */
  override async close(): Promise<void> {
    const fronts = [...this.#fronts];
    await Promise.all(fronts.map((front) => front.close()));
    await super.close();
  }

  #transport(options: StreamableHttpOptions): StreamableHttpTransport {
    return new StreamableHttpTransport(this.sessions, { logger: this.logger, ...options });
  }

  #front<H extends (...args: never[]) => unknown>(
    handler: H,
    transport: StreamableHttpTransport,
  ): H & HttpFront {
    let closing: Promise<void> | undefined;
    const front: H & HttpFront = Object.assign(handler, {
      transport,
      close: (): Promise<void> => {
        this.#fronts.delete(front);
        closing ??= transport.close();
        return closing;
      },
    });
    this.#fronts.add(front);
    return front;
  }
}
