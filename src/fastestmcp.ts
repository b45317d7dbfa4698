import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dashboard } from "./dashboard/dashboard.js";
import type { DashboardOptions } from "./dashboard/dashboard-options.js";
import { FastestMcpError } from "./errors.js";
import {
  attachFront,
  FastestMCP as FetchFastestMCP,
  frontsOf,
  type HttpFront,
  httpTransport,
} from "./fastestmcp-web.js";
import { createNodeHandler } from "./transports/http/node.js";
import { listenGuard } from "./transports/http/request-guard.js";
import type { StreamableHttpOptions, StreamableHttpTransport } from "./transports/http/streamable-http.js";
import { type StdioOptions, type StdioServerTransport, serveStdio } from "./transports/stdio.js";
import { getBuiltinModule } from "./util/node-builtin.js";

/** Options of `server.listen()`. */
export interface ListenOptions extends StreamableHttpOptions {
  /** Interface to bind (default `127.0.0.1`: reachable from this machine only). */
  host?: string;
  /** Port (default 0: any free port; read it from the handle). */
  port?: number;
  /**
   * Serves the live task dashboard on the same port (default path `/dashboard`): every task's
   * progress, status, message and recent logs, pushed as they change, with a cancel button.
   * Loopback only unless `allowRemote`; with `auth`, behind the same bearer token (docs/dashboard.md).
   */
  dashboard?: boolean | DashboardOptions;
}

/** A running HTTP server. */
export interface HttpServerHandle {
  /** The MCP endpoint, e.g. `http://127.0.0.1:4100/mcp`. */
  readonly url: string;
  /** The dashboard's page, e.g. `http://127.0.0.1:4100/dashboard`, when `listen({ dashboard })` serves it. */
  readonly dashboardUrl?: string;
  readonly host: string;
  readonly port: number;
  readonly transport: StreamableHttpTransport;
  /** Stops accepting connections, ends the sessions opened here and closes their streams. */
  close(): Promise<void>;
}

/** A node:http request listener for the MCP endpoint, from `server.nodeHandler()`. */
export type NodeHandler = ((req: IncomingMessage, res: ServerResponse) => void) & HttpFront;

export type { FetchHandler, HttpFront } from "./fastestmcp-web.js";

function unsupported(what: string, needs: string): FastestMcpError {
  return new FastestMcpError(
    "FMCP_ERR_RUNTIME_UNSUPPORTED",
    `${what} needs ${needs}, which this runtime does not have (Node >= 20.16, Bun and Deno do): ` +
      "serve server.fetch here instead (see docs/runtimes.md).",
  );
}

/**
 * A FastestMCP server with every transport: `listen()` (Streamable HTTP on node:http),
 * `nodeHandler()` (Express, Fastify, node:http), `stdio()`, and the web-standard `fetch()` /
 * `fetchHandler()` it inherits. All share one dispatch with the in-process API.
 *
 * It imports no Node built-in: `listen()` looks node:http up when called, so this class loads on
 * any runtime (a Workers bundle may import it; only the Node fronts need Node, Bun or Deno).
 */
export class FastestMCP extends FetchFastestMCP {
  /**
   * Serves the MCP endpoint over Streamable HTTP. Bound to loopback by default. Against DNS
   * rebinding, only `Host` values naming the bound port on a loopback name (or the bound address)
   * pass unless `allowedHosts` says otherwise; see docs/http.md#security.
   * @throws {FastestMcpError} `FMCP_ERR_RUNTIME_UNSUPPORTED` where there is no node:http (Workers).
   */
  async listen(options: ListenOptions = {}): Promise<HttpServerHandle> {
    const http = getBuiltinModule?.("node:http");
    if (http === undefined) throw unsupported("listen()", "node:http");
    const { host = "127.0.0.1", port = 0, dashboard: dashboardOption, ...httpOptions } = options;
    let transport: StreamableHttpTransport | undefined;
    let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
    const server: Server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
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
    let created: StreamableHttpTransport | undefined;
    let dashboard: Dashboard | undefined;
    try {
      const endpointGuard = { ...listenGuard(host, bound), ...httpOptions };
      created = httpTransport(this, endpointGuard);
      if (dashboardOption !== undefined && dashboardOption !== false) {
        // Loaded only when asked for: a server without it pays nothing at start-up.
        const { Dashboard } = await import("./dashboard/dashboard.js");
        const context = {
          mcpPath: created.path,
          endpointGuard,
          loopbackGuard: listenGuard("127.0.0.1", bound),
          logger: this.logger,
        };
        dashboard = new Dashboard(this, dashboardOption === true ? {} : dashboardOption, context, created);
      }
    } catch (error) {
      // A bad option (e.g. an allowedHosts entry that is not a host) must not leave a port open.
      await created?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
    // Both at once: until then, requests are answered 503.
    transport = created;
    handler = createNodeHandler(dashboard ?? created);
    const urlHost = host.includes(":") ? `[${host}]` : host;
    const origin = `http://${urlHost}:${bound}`;
    const active = transport;
    const fronts = frontsOf(this);
    let closing: Promise<void> | undefined;
    const handle: HttpServerHandle = {
      url: `${origin}${active.path}`,
      ...(dashboard === undefined ? {} : { dashboardUrl: `${origin}${dashboard.path}` }),
      host,
      port: bound,
      transport: active,
      close: () => {
        closing ??= (async () => {
          fronts.delete(handle);
          dashboard?.close();
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          await active.close();
          server.closeAllConnections();
          await closed;
        })();
        return closing;
      },
    };
    fronts.add(handle);
    return handle;
  }

  /**
   * A node:http request listener for the MCP endpoint (mount it in Express, Fastify or
   * `http.createServer`). It cannot know the names it is reached by: only loopback `Host` names
   * pass unless you set `allowedHosts` (see docs/http.md#security). `handler.close()` (or
   * `server.close()`) ends its sessions and timers.
   */
  nodeHandler(options: StreamableHttpOptions = {}): NodeHandler {
    const transport = httpTransport(this, options);
    return attachFront(this, createNodeHandler(transport), transport);
  }

  /**
   * Serves this server over stdio (newline-delimited JSON-RPC on stdin/stdout) until stdin ends.
   * Only protocol messages go to stdout; write your own output to stderr. `server.close()` closes it.
   * @throws {FastestMcpError} `FMCP_ERR_RUNTIME_UNSUPPORTED` without `input` where there is no `process.stdin`.
   */
  async stdio(options: StdioOptions = {}): Promise<StdioServerTransport> {
    const runtime = (globalThis as { process?: { stdin?: unknown } }).process;
    if (options.input === undefined && runtime?.stdin === undefined)
      throw unsupported("stdio()", "process.stdin");
    const transport = await serveStdio(this, options);
    const fronts = frontsOf(this);
    fronts.add(transport);
    void transport.closed.then(() => fronts.delete(transport));
    return transport;
  }
}
