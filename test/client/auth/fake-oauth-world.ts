/**
 * An in-memory OAuth world for the client's flows: our own FastestMCP server (its `fetch` front,
 * with `auth`) as the protected resource at http://localhost/mcp, and scriptable authorization
 * servers at https://as.example… that record every request. `world.fetch` routes by URL, so a
 * client given it as its `fetch` option reaches both without a socket.
 */
import { createHash } from "node:crypto";
import { FastestMCP } from "../../../src/fastestmcp.js";
import type { AuthInfo } from "../../../src/protocol/auth-info.js";

export const MCP_URL = "http://localhost/mcp";
export const REDIRECT_URL = "http://127.0.0.1:9999/callback";

/** One request an authorization server saw. */
export interface SeenRequest {
  url: URL;
  headers: Headers;
  form: URLSearchParams;
  json: Record<string, unknown> | undefined;
}

/** A scriptable authorization server. */
export interface FakeAuthorizationServer {
  readonly issuer: string;
  /** Metadata fields to add or override (`undefined` removes one). */
  metadata: Record<string, unknown>;
  /** Where its metadata is served (default: RFC 8414 at the root). */
  metadataPath: string;
  /** The scopes it grants, whatever was asked (default: what was asked). */
  grantScopes: string[] | undefined;
  /** Changes the redirect back to the client (wrong `iss`, an `error`, another `state`). */
  redirect: (params: URLSearchParams) => void;
  readonly authorizations: URLSearchParams[];
  readonly tokenRequests: SeenRequest[];
  readonly registrations: SeenRequest[];
  readonly metadataRequests: string[];
  /** The user's browser: answers the authorization URL with the redirect to the client. */
  browse(url: URL): Promise<URL>;
}

export interface FakeWorld {
  readonly fetch: typeof fetch;
  readonly server: FastestMCP;
  readonly as: FakeAuthorizationServer;
  /** A second authorization server, for a server that moves (SEP-2352). */
  readonly as2: FakeAuthorizationServer;
  /** Every URL fetched, in order. */
  readonly fetched: string[];
  /** Protected resource metadata overrides (served instead of the server's own when set). */
  resourceMetadata: Record<string, unknown> | undefined;
  /** Refuse every token the verifier sees (a server that lost its keys). */
  refuseAll: boolean;
  /** Refuse tokens of this issuer (after a move to another authorization server). */
  refuseIssuer: string | undefined;
  /** Forgets every token issued so far (later ones are valid): as if they expired early. */
  revokeAll(): void;
  /** Every `authorization` header the MCP endpoint received. */
  readonly bearerTokens: string[];
  close(): Promise<void>;
}

function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function authorizationServer(
  issuer: string,
  issued: Map<string, AuthInfo>,
): FakeAuthorizationServer & {
  handle(request: Request): Promise<Response>;
} {
  const challenges = new Map<string, { challenge: string; scope: string; clientId: string }>();
  const refreshScopes = new Map<string, string>();
  let counter = 0;
  const as = {
    issuer,
    metadata: {} as Record<string, unknown>,
    metadataPath: "/.well-known/oauth-authorization-server",
    grantScopes: undefined as string[] | undefined,
    redirect: (_params: URLSearchParams) => undefined,
    authorizations: [] as URLSearchParams[],
    tokenRequests: [] as SeenRequest[],
    registrations: [] as SeenRequest[],
    metadataRequests: [] as string[],
    async browse(url: URL): Promise<URL> {
      const response = await as.handle(new Request(url));
      return new URL(response.headers.get("location") as string);
    },
    async handle(request: Request): Promise<Response> {
      const url = new URL(request.url);
      const path = url.pathname.slice(new URL(issuer).pathname.replace(/\/$/, "").length);
      if (url.pathname.includes("/.well-known/")) {
        as.metadataRequests.push(url.pathname);
        if (url.pathname !== as.metadataPath) return json({ error: "not_found" }, 404);
        const document: Record<string, unknown> = {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          registration_endpoint: `${issuer}/register`,
          response_types_supported: ["code"],
          code_challenge_methods_supported: ["S256"],
          token_endpoint_auth_methods_supported: ["none", "client_secret_basic"],
          authorization_response_iss_parameter_supported: true,
          ...as.metadata,
        };
        return json(document);
      }
      const form = request.method === "POST" ? await request.clone().text() : "";
      const seen: SeenRequest = {
        url,
        headers: request.headers,
        form: new URLSearchParams(form),
        json: form.startsWith("{") ? (JSON.parse(form) as Record<string, unknown>) : undefined,
      };
      if (path === "/register") {
        as.registrations.push(seen);
        return json({ ...seen.json, client_id: `${new URL(issuer).host}-client-${++counter}` }, 201);
      }
      if (path === "/authorize") {
        const params = url.searchParams;
        as.authorizations.push(params);
        const code = `code-${++counter}`;
        challenges.set(code, {
          challenge: params.get("code_challenge") ?? "",
          scope: params.get("scope") ?? "",
          clientId: params.get("client_id") ?? "",
        });
        const back = new URLSearchParams({ code, state: params.get("state") ?? "", iss: issuer });
        as.redirect(back);
        return new Response(null, {
          status: 302,
          headers: { location: `${params.get("redirect_uri")}?${back}` },
        });
      }
      if (path === "/token") {
        as.tokenRequests.push(seen);
        const grant = seen.form.get("grant_type");
        let scope = seen.form.get("scope") ?? "";
        if (grant === "refresh_token") scope = refreshScopes.get(seen.form.get("refresh_token") ?? "") ?? "";
        if (grant === "authorization_code") {
          const pending = challenges.get(seen.form.get("code") ?? "");
          if (pending === undefined || s256(seen.form.get("code_verifier") ?? "") !== pending.challenge) {
            return json({ error: "invalid_grant", error_description: "PKCE verification failed" }, 400);
          }
          scope = pending.scope;
        }
        const scopes = as.grantScopes ?? scope.split(" ").filter(Boolean);
        const token = `at-${new URL(issuer).host}-${++counter}`;
        // One identity whichever server issued the token (both federate one IdP), so the MCP
        // session survives a move; `claims.as` says which server it was.
        issued.set(token, {
          subject: "user-1",
          clientId: "c",
          issuer: "https://idp.example",
          scopes,
          claims: { as: issuer },
        });
        refreshScopes.set(`rt-${counter}`, scopes.join(" "));
        return json({
          access_token: token,
          token_type: "Bearer",
          expires_in: 3600,
          refresh_token: `rt-${counter}`,
          scope: scopes.join(" "),
        });
      }
      return json({ error: "not_found" }, 404);
    },
  };
  return as;
}

/** Builds the world; `requiredScopes` are what the MCP server asks of every request. */
export function fakeWorld(requiredScopes: string[] = ["read"]): FakeWorld {
  const issued = new Map<string, AuthInfo>();
  const as = authorizationServer("https://as.example", issued);
  const as2 = authorizationServer("https://as2.example", issued);
  const bearerTokens: string[] = [];
  const fetched: string[] = [];
  const world = {
    as,
    as2,
    fetched,
    bearerTokens,
    resourceMetadata: undefined as Record<string, unknown> | undefined,
    refuseAll: false,
    refuseIssuer: undefined as string | undefined,
  } as unknown as FakeWorld & {
    server: FastestMCP;
    fetch: typeof fetch;
    close(): Promise<void>;
    revokeAll(): void;
  };
  const server = FastestMCP.server("protected", {
    logger: { warn() {}, error() {} },
    auth: {
      verifyToken: (token) => {
        const info = issued.get(token);
        if (world.refuseAll || info === undefined || info.claims.as === world.refuseIssuer) return undefined;
        return info;
      },
      resourceMetadata: {
        resource: MCP_URL,
        authorizationServers: [as.issuer],
        scopesSupported: ["read", "write"],
      },
      requiredScopes,
    },
  });
  server.addTool("whoami", (_args, ctx) => ({ scopes: ctx.auth?.scopes ?? [] }));
  world.server = server;
  world.fetch = async (input, init) => {
    const request = new Request(input, init);
    fetched.push(request.url);
    const url = new URL(request.url);
    if (url.origin === "http://localhost") {
      if (
        world.resourceMetadata !== undefined &&
        url.pathname.startsWith("/.well-known/oauth-protected-resource")
      ) {
        return json({ resource: MCP_URL, authorization_servers: [as.issuer], ...world.resourceMetadata });
      }
      const authorization = request.headers.get("authorization");
      if (authorization !== null) bearerTokens.push(authorization);
      return server.fetch(request);
    }
    if (request.url.startsWith(as2.issuer)) return as2.handle(request);
    if (request.url.startsWith(as.issuer)) return as.handle(request);
    throw new TypeError(`fetch failed: nothing at ${request.url}`);
  };
  world.revokeAll = () => issued.clear();
  world.close = () => server.close();
  return world;
}
