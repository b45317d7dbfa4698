/**
 * `auth` with a verifier of your own, on the web-standard fetch front (the node front is covered
 * against a real authorization server in http-auth.test.ts), and the checks made at construction.
 */
import { describe, expect, it } from "vitest";
import { jwtVerifier } from "../../src/auth/jwt-verifier.js";
import { invalidToken, type TokenVerifier } from "../../src/auth/token-verifier.js";
import { isFastestMcpError } from "../../src/errors.js";
import { FastestMCP } from "../../src/fastestmcp.js";
import type { AuthInfo } from "../../src/protocol/auth-info.js";
import type { ServerOptions } from "../../src/server/server-options.js";
import { INITIALIZE } from "./protected-server.js";

const RESOURCE = "https://mcp.example.com/api/mcp";
const METADATA = "https://mcp.example.com/.well-known/oauth-protected-resource/api/mcp";
const user = (scopes: string[], expiresAt?: number): AuthInfo => ({
  subject: "u1",
  scopes,
  expiresAt,
  claims: {},
});

function serverWith(verifyToken: TokenVerifier, logged: unknown[] = []): FastestMCP {
  return FastestMCP.server("custom", {
    logger: { warn: (...args) => logged.push(args), error: (...args) => logged.push(args) },
    auth: {
      verifyToken,
      resourceMetadata: { resource: RESOURCE, authorizationServers: ["https://as.example.com"] },
    },
  });
}

function request(token: string | undefined, path = "/mcp"): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(INITIALIZE),
  });
}

describe("a verifier of your own, on the fetch front", () => {
  const verify: TokenVerifier = (token) => {
    if (token === "good") return user([]);
    if (token === "stale") return user([], Math.floor(Date.now() / 1000) - 1);
    if (token === "revoked") throw invalidToken("The access token was revoked.");
    if (token === "crash") throw new Error("introspection endpoint down");
    return undefined;
  };

  it("serves the path-aware metadata (from the resource's path) and admits a token it accepts", async () => {
    const server = serverWith(verify);
    const metadata = await server.fetch(
      new Request(`http://localhost/.well-known/oauth-protected-resource/api/mcp`),
    );
    expect(await metadata.json()).toMatchObject({ resource: RESOURCE });
    expect((await server.fetch(request("good"))).status).toBe(200);
    await server.close();
  });

  it.each([
    ["undefined", "nope", "The access token was not accepted."],
    ["invalidToken()", "revoked", "The access token was revoked."],
    ["an AuthInfo past its expiresAt", "stale", "The access token expired: get a new one."],
  ])("refuses a token the verifier answers with %s: 401 invalid_token", async (_what, token, description) => {
    const server = serverWith(verify);
    const response = await server.fetch(request(token));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${METADATA}", error="invalid_token", error_description="${description}"`,
    );
    await server.close();
  });

  it("keeps a message with quotes or line breaks from breaking the challenge", async () => {
    const server = serverWith(() => {
      throw invalidToken('Token "x" was\r\nrevoked \\ here.');
    });
    const response = await server.fetch(request("any"));
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${METADATA}", error="invalid_token", error_description="Token  x  was  revoked   here."`,
    );
    await server.close();
  });

  it("answers 500 when the verifier itself fails, and logs the failure without the token", async () => {
    const logged: unknown[] = [];
    const server = serverWith(verify, logged);
    const response = await server.fetch(request("crash"));
    expect(response.status).toBe(500);
    expect(response.headers.get("www-authenticate")).toBeNull();
    expect(JSON.stringify(logged)).not.toContain('crash"');
    expect(logged).toHaveLength(1);
    await server.close();
  });

  it("refuses a token in the query string on the fetch front too", async () => {
    const server = serverWith(verify);
    const response = await server.fetch(request("good", "/mcp?access_token=good"));
    expect(response.status).toBe(400);
    await server.close();
  });
});

describe("the auth option at construction", () => {
  const verifyToken: TokenVerifier = () => undefined;
  const metadata = { resource: RESOURCE, authorizationServers: ["https://as.example.com"] };

  it.each<[string, ServerOptions["auth"]]>([
    ["no verifier", { resourceMetadata: metadata } as never],
    ["no metadata", { verifyToken } as never],
    ["a resource that is not a URL", { verifyToken, resourceMetadata: { ...metadata, resource: "mcp" } }],
    [
      "an http resource off loopback",
      { verifyToken, resourceMetadata: { ...metadata, resource: "http://x.com/mcp" } },
    ],
    [
      "a resource with a fragment",
      { verifyToken, resourceMetadata: { ...metadata, resource: `${RESOURCE}#a` } },
    ],
    ["no authorization server", { verifyToken, resourceMetadata: { ...metadata, authorizationServers: [] } }],
    ["a scope with a space", { verifyToken, resourceMetadata: metadata, requiredScopes: ["a b"] }],
    [
      "a jwtVerifier for another audience",
      {
        verifyToken: jwtVerifier({ jwks: { keys: [] }, issuer: "https://as", audience: "https://other/mcp" }),
        resourceMetadata: metadata,
      },
    ],
  ])("refuses %s", (_what, auth) => {
    let thrown: unknown;
    try {
      FastestMCP.server("bad", { auth });
    } catch (error) {
      thrown = error;
    }
    expect(isFastestMcpError(thrown) && thrown.code === "FMCP_ERR_OPTION_INVALID").toBe(true);
  });

  it("refuses a bad requiredScopes or canAccess on a component", () => {
    const server = FastestMCP.server("components");
    expect(() => server.addTool("t", () => 1, { requiredScopes: "admin" as never })).toThrow(
      /requiredScopes/,
    );
    expect(() => server.addPrompt("p", () => "x", { canAccess: true as never })).toThrow(/canAccess/);
  });
});
