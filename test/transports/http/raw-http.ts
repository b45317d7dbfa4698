import { createServer, type RequestListener, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";

/** What a raw request got back; an SSE answer is cut after its headers. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request over node:http with exactly the headers given, `Host` included (fetch() would
 * set Host from the URL: a DNS-rebinding page cannot choose its Host, but this test must).
 */
export function rawRequest(
  port: number,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/mcp", method, headers, setHost: false, agent: false },
      (res) => {
        if (String(res.headers["content-type"]).startsWith("text/event-stream")) {
          // A stream stays open: its status and headers are the answer.
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" });
          res.destroy();
          return;
        }
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
  });
}

export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

export const ECHO_CALL = {
  jsonrpc: "2.0",
  id: 2,
  method: "tools/call",
  params: { name: "echo", arguments: { text: "hi" } },
};

/** The headers of a POST from a well-behaved MCP client. */
export function postHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2025-11-25",
    ...extra,
  };
}

/**
 * For a test file's top level: what it opens through the returned functions is closed after each
 * test. `echoServer()` makes a server named `name` with an `echo` tool; `serve(handler)` serves
 * a request listener with node:http on 127.0.0.1 and returns its port.
 */
export function closedAfterEach(name: string) {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  function echoServer(): FastestMCP {
    const server = FastestMCP.server(name).addTool("echo", ({ text }) => String(text));
    cleanups.push(() => server.close());
    return server;
  }

  async function serve(handler: RequestListener): Promise<number> {
    const http: Server = createServer(handler);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          http.closeAllConnections();
          http.close(() => resolve());
        }),
    );
    return (http.address() as AddressInfo).port;
  }

  return { echoServer, serve };
}
