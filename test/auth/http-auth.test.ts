/**
 * The HTTP endpoint as an OAuth 2.1 resource server, against a real authorization server
 * (oidc-provider on 127.0.0.1): tokens come from its client credentials grant with a resource
 * indicator (RFC 8707); tokens no grant would produce (expired, unknown key, alg none) are minted
 * with its own or a foreign key. Every refusal is checked by exact status and WWW-Authenticate.
 */
import { generateKeyPair, importJWK, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../transports/http/raw-http.js";
import { startAuthorizationServer, type TestAuthorizationServer } from "./authorization-server.js";
import {
  call,
  INITIALIZE,
  openSession,
  type ProtectedServer,
  post,
  startProtectedServer,
} from "./protected-server.js";

let as: TestAuthorizationServer;
let mcp: ProtectedServer;
let metadataUrl: string;

beforeAll(async () => {
  as = await startAuthorizationServer();
  mcp = await startProtectedServer(as, (server) => {
    server.addTool("whoami", (_args, ctx) => ({
      subject: ctx.auth?.subject,
      clientId: ctx.auth?.clientId,
      scopes: ctx.auth?.scopes,
      userAgent: ctx.request?.header("user-agent") ?? null,
      authorization: ctx.request?.header("authorization") ?? null,
    }));
  });
  metadataUrl = `http://127.0.0.1:${mcp.port}/.well-known/oauth-protected-resource/mcp`;
});

afterAll(async () => {
  await mcp?.close();
  await as?.close();
});

/** The challenge of a refusal: metadata URL and scopes, then the error when there is one. */
function challenge(scope: string, error?: string, description?: string): string {
  const base = `Bearer resource_metadata="${metadataUrl}", scope="${scope}"`;
  return error === undefined ? base : `${base}, error="${error}", error_description="${description}"`;
}

async function initializeWith(authorization: string | undefined, query = ""): Promise<Response> {
  return post(`${mcp.url}${query}`, INITIALIZE, authorization === undefined ? {} : { authorization });
}

/** A token signed with the authorization server's own key, with the claims given. */
async function minted(claims: Record<string, unknown>): Promise<string> {
  const key = await importJWK(as.signingKey, "RS256");
  return new SignJWT({ sub: "alice-app", client_id: "alice-app", scope: "tools:read", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: as.signingKey.kid as string, typ: "at+jwt" })
    .setIssuer(as.issuer)
    .setAudience(mcp.url)
    .sign(key);
}

describe("RFC 9728 Protected Resource Metadata", () => {
  it("is served without a token at the path-aware and the root well-known URLs, readable from any origin", async () => {
    for (const url of [metadataUrl, `http://127.0.0.1:${mcp.port}/.well-known/oauth-protected-resource`]) {
      const response = await fetch(url, { headers: { origin: "https://app.example.com" } });
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toEqual({
        resource: mcp.url,
        authorization_servers: [as.issuer],
        bearer_methods_supported: ["header"],
        scopes_supported: ["tools:read", "tools:run", "admin"],
        resource_name: "Protected test server",
      });
    }
  });

  it("answers a CORS preflight for the metadata", async () => {
    const response = await fetch(metadataUrl, { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-headers")).toContain("mcp-protocol-version");
  });
});

describe("bearer tokens on the MCP endpoint", () => {
  it("accepts a token from the client credentials grant for this resource; the handler sees the identity", async () => {
    const token = await as.token(as.clients.alice, mcp.url, "tools:read tools:run");
    const headers = await openSession(mcp.url, token);
    const answer = await call(mcp.url, { ...headers, "user-agent": "auth-test/1" }, "tools/call", {
      name: "whoami",
    });
    expect(answer.result?.structuredContent).toEqual({
      subject: "alice-app",
      clientId: "alice-app",
      scopes: ["tools:read", "tools:run"],
      userAgent: "auth-test/1",
      // ctx.request never shows the token (no passthrough).
      authorization: null,
    });
  });

  it("asks for a token when there is none: 401 with the metadata URL and the scopes needed, no error code", async () => {
    const response = await initializeWith(undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(challenge("tools:read"));
    expect(((await response.json()) as { error: { data: { reason: string } } }).error.data.reason).toBe(
      "auth-required",
    );
  });

  it("asks for a Bearer token when another scheme is used: 401 without an error code", async () => {
    const response = await initializeWith("Basic YWxpY2U6c2VjcmV0");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(challenge("tools:read"));
  });

  it("accepts the scheme in any case", async () => {
    const token = await as.token(as.clients.alice, mcp.url);
    expect((await initializeWith(`bEaReR ${token}`)).status).toBe(200);
  });

  it.each([["Bearer"], ["Bearer "], ["Bearer two tokens"], ['Bearer to"ken']])(
    "refuses the malformed header %j: 400 invalid_request",
    async (authorization) => {
      const response = await initializeWith(authorization);
      expect(response.status).toBe(400);
      expect(response.headers.get("www-authenticate")).toBe(
        challenge(
          "tools:read",
          "invalid_request",
          "The Authorization header is malformed: send exactly Authorization: Bearer <token>.",
        ),
      );
    },
  );

  it("refuses a token in the query string, even next to a valid header: 400 invalid_request", async () => {
    const token = await as.token(as.clients.alice, mcp.url);
    const response = await initializeWith(`Bearer ${token}`, `?access_token=${token}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("www-authenticate")).toBe(
      challenge(
        "tools:read",
        "invalid_request",
        "Access tokens must not be sent in the query string: send them in the Authorization header (Bearer).",
      ),
    );
  });

  it("refuses a real token issued for another resource: 401 invalid_token", async () => {
    const token = await as.token(as.clients.alice, "http://127.0.0.1:1/other-mcp");
    const response = await initializeWith(`Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      challenge(
        "tools:read",
        "invalid_token",
        "The access token was not issued for this resource (its audience does not name it): request a token with this server's resource indicator.",
      ),
    );
  });

  it("refuses an expired token: 401 invalid_token naming when it expired", async () => {
    const exp = Math.floor(Date.now() / 1000) - 120;
    const response = await initializeWith(`Bearer ${await minted({ exp })}`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      challenge(
        "tools:read",
        "invalid_token",
        `The access token expired at ${new Date(exp * 1000).toISOString()}: get a new one.`,
      ),
    );
  });

  it("refuses a real token whose signature was tampered with: 401 invalid_token", async () => {
    const token = await as.token(as.clients.alice, mcp.url);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const middle = Math.floor(signature.length / 2);
    const flipped = signature[middle] === "A" ? "B" : "A";
    const tampered = `${header}.${payload}.${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
    const response = await initializeWith(`Bearer ${tampered}`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      challenge("tools:read", "invalid_token", "The access token's signature does not verify."),
    );
  });

  it("refuses a token whose kid the authorization server does not publish: 401 invalid_token", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT({ sub: "mallory", scope: "tools:read" })
      .setProtectedHeader({ alg: "RS256", kid: "rotated-away" })
      .setIssuer(as.issuer)
      .setAudience(mcp.url)
      .setExpirationTime("5m")
      .sign(privateKey);
    const response = await initializeWith(`Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      challenge(
        "tools:read",
        "invalid_token",
        "No key of the authorization server matches the access token's key id (kid).",
      ),
    );
  });

  it("refuses an unsigned token (alg none): 401 invalid_token", async () => {
    const token = new UnsecuredJWT({ sub: "mallory", scope: "tools:read" })
      .setIssuer(as.issuer)
      .setAudience(mcp.url)
      .setExpirationTime("5m")
      .encode();
    const response = await initializeWith(`Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      challenge(
        "tools:read",
        "invalid_token",
        "The access token is signed with an algorithm this resource does not accept.",
      ),
    );
  });

  it("refuses a token that is not a JWT: 401 invalid_token", async () => {
    const response = await initializeWith("Bearer opaque-token-value");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      challenge("tools:read", "invalid_token", "The access token is not a well-formed signed JWT."),
    );
  });

  it("refuses a real token without the server's required scope: 403 insufficient_scope naming the scopes", async () => {
    const token = await as.token(as.clients.alice, mcp.url, "tools:run");
    const response = await initializeWith(`Bearer ${token}`);
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toBe(
      challenge(
        "tools:run tools:read",
        "insufficient_scope",
        "The access token lacks the scope tools:read this server needs.",
      ),
    );
  });

  it("needs the token on every request of a session, GET and DELETE included", async () => {
    const token = await as.token(as.clients.alice, mcp.url);
    const { authorization: _token, ...withoutToken } = await openSession(mcp.url, token);
    for (const method of ["POST", "GET", "DELETE"]) {
      const response = await fetch(mcp.url, {
        method,
        headers: {
          ...withoutToken,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        ...(method === "POST" ? { body: JSON.stringify({ jsonrpc: "2.0", id: 5, method: "ping" }) } : {}),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe(challenge("tools:read"));
    }
  });

  it("checks Host and Origin before the token: a rebinding request gets 403 forbidden, not a challenge", async () => {
    const answer = await rawRequest(
      mcp.port,
      "POST",
      {
        host: "evil.example",
        "content-type": "application/json",
        accept: "application/json",
      },
      INITIALIZE,
    );
    expect(answer.status).toBe(403);
    expect(answer.headers["www-authenticate"]).toBeUndefined();
  });

  it("never logs or echoes the token", async () => {
    const seen: string[] = [];
    const exp = Math.floor(Date.now() / 1000) - 120;
    const token = await minted({ exp });
    const response = await initializeWith(`Bearer ${token}`);
    seen.push(await response.text(), response.headers.get("www-authenticate") ?? "");
    for (const text of seen) for (const part of token.split(".")) expect(text).not.toContain(part);
  });
});

describe("sessions bound to the identity that opened them", () => {
  it("answers another identity presenting the session id exactly as for an unknown session (404)", async () => {
    const alice = await openSession(mcp.url, await as.token(as.clients.alice, mcp.url));
    const bobToken = await as.token(as.clients.bob, mcp.url);
    const stolen = await post(
      mcp.url,
      { jsonrpc: "2.0", id: 7, method: "ping" },
      {
        ...alice,
        authorization: `Bearer ${bobToken}`,
      },
    );
    const unknown = await post(
      mcp.url,
      { jsonrpc: "2.0", id: 7, method: "ping" },
      {
        ...alice,
        "mcp-session-id": "00000000-0000-4000-8000-000000000000",
        authorization: `Bearer ${bobToken}`,
      },
    );
    expect(stolen.status).toBe(404);
    expect(await stolen.text()).toBe(await unknown.text());
    // Alice's session is untouched, and a fresh token of hers (same identity) keeps working.
    const fresh = await as.token(as.clients.alice, mcp.url);
    expect((await call(mcp.url, { ...alice, authorization: `Bearer ${fresh}` }, "ping")).result).toEqual({});
  });
});
