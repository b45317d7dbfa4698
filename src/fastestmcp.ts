import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FastestMCPServer } from "./server/server.js";
import { createFetchHandler } from "./transports/http/fetch.js";
import { createNodeHandler } from "./transports/http/node.js";
import { isLoopbackHost, loopbackGuard } from "./transports/http/request-guard.js";
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

/**
 * A FastestMCP server with its transports: `listen()` (Streamable HTTP on node:http),
 * `fetch()` / `fetchHandler()` (web-standard), `nodeHandler()` (Express, Fastify, node:http) and
 * `stdio()`.
 * All share one dispatch with the in-process API.
 */
export class FastestMCP extends FastestMCPServer {
  #fetch: ((request: Request) => Promise<Response>) | undefined;

  /**
   * Serves the MCP endpoint over Streamable HTTP. Bound to loopback by default, with Host and
   * Origin checks against DNS rebinding switched on for loopback addresses.
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
    const guard = isLoopbackHost(host) ? loopbackGuard(bound) : {};
    transport = new StreamableHttpTransport(this.sessions, { ...guard, ...http });
    handler = createNodeHandler(transport);
    const urlHost = host.includes(":") ? `[${host}]` : host;
    const active = transport;
    return {
      url: `http://${urlHost}:${bound}${active.path}`,
      host,
      port: bound,
      transport: active,
      close: async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await active.close();
        server.closeAllConnections();
        await closed;
      },
    };
  }

  /** A node:http request listener for the MCP endpoint (mount it in Express, Fastify or `http.createServer`). */
  nodeHandler(options: StreamableHttpOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
    return createNodeHandler(new StreamableHttpTransport(this.sessions, options));
  }

  /** A web-standard handler for the MCP endpoint (Hono, Bun, Deno, Workers). */
  fetchHandler(options: StreamableHttpOptions = {}): (request: Request) => Promise<Response> {
    return createFetchHandler(new StreamableHttpTransport(this.sessions, options));
  }

  /**
   * Serves this server over stdio (newline-delimited JSON-RPC on stdin/stdout) until stdin ends.
   * Only protocol messages go to stdout; write your own output to stderr.
   */
  stdio(options: StdioOptions = {}): Promise<StdioServerTransport> {
    return serveStdio(this, options);
  }

  /** Serves one web-standard request with default options (same-origin Origin check). */
  fetch(request: Request): Promise<Response> {
    this.#fetch ??= this.fetchHandler();
    return this.#fetch(request);
  }
}
