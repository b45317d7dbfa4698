import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerifier } from "../../src/auth/jwt-verifier.js";
import { FastestMCP } from "../../src/fastestmcp.js";
import { LATEST_PROTOCOL_VERSION } from "../../src/protocol/revisions.js";
import type { ServerOptions } from "../../src/server/server-options.js";
import { TEST_SCOPES, type TestAuthorizationServer } from "./authorization-server.js";

/** A FastestMCP server with `auth` on node:http at 127.0.0.1, trusting the test authorization server. */
export interface ProtectedServer {
  readonly server: FastestMCP;
  /** The MCP endpoint, which is also the resource identifier tokens must name. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts the server: the port is bound first, so the resource identifier (`http://127.0.0.1:PORT/mcp`)
 * is the endpoint's real URL. `setup` adds tools; `requiredScopes` defaults to `tools:read`.
 */
export async function startProtectedServer(
  as: TestAuthorizationServer,
  setup: (server: FastestMCP) => void = () => undefined,
  auth: Partial<NonNullable<ServerOptions["auth"]>> = {},
): Promise<ProtectedServer> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const http = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/mcp`;
  const server = FastestMCP.server("protected", {
    logger: { warn() {}, error() {} },
    auth: {
      verifyToken: jwtVerifier({ jwksUri: as.jwksUri, issuer: as.issuer, audience: url }),
      resourceMetadata: {
        resource: url,
        authorizationServers: [as.issuer],
        scopesSupported: [...TEST_SCOPES],
        resourceName: "Protected test server",
      },
      requiredScopes: ["tools:read"],
      ...auth,
    },
  });
  setup(server);
  handler = server.nodeHandler();
  return {
    server,
    url,
    port,
    close: async () => {
      await server.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** An `initialize` request body. */
export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: "t", version: "1" },
  },
};

/** POSTs one JSON-RPC message with the given headers (JSON answers only). */
export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Opens a session with `token` and returns the headers later requests need. */
export async function openSession(url: string, token: string): Promise<Record<string, string>> {
  const response = await post(url, INITIALIZE, { authorization: `Bearer ${token}` });
  if (response.status !== 200)
    throw new Error(`initialize answered ${response.status}: ${await response.text()}`);
  const headers = {
    authorization: `Bearer ${token}`,
    "mcp-session-id": response.headers.get("mcp-session-id") as string,
    "mcp-protocol-version": LATEST_PROTOCOL_VERSION,
  };
  await post(url, { jsonrpc: "2.0", method: "notifications/initialized" }, headers);
  return headers;
}

/** Sends a request on a session and returns its JSON-RPC answer. */
export async function call(
  url: string,
  headers: Record<string, string>,
  method: string,
  params: Record<string, unknown> = {},
): Promise<{ result?: Record<string, unknown>; error?: { code: number; message: string; data?: unknown } }> {
  const response = await post(url, { jsonrpc: "2.0", id: 2, method, params }, headers);
  return (await response.json()) as never;
}
