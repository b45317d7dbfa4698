/**
 * Discovery (MCP authorization, "Authorization Server Discovery"): where the client looks for the
 * protected resource metadata and the authorization server metadata, in which order, and which
 * resources a metadata document may speak for.
 */
import { describe, expect, it } from "vitest";
import {
  authorizationServerMetadataUrls,
  discoverAuthorizationServer,
  discoverProtectedResource,
  resourceCovers,
} from "../../../src/client/auth/discovery.js";

/** A fetch that answers the listed URLs with JSON and everything else with 404, recording each URL. */
function site(documents: Record<string, unknown>) {
  const asked: string[] = [];
  const fetchFn: typeof fetch = async (input) => {
    const url = String(input);
    asked.push(url);
    const body = documents[url];
    return body === undefined
      ? new Response("not found", { status: 404 })
      : new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  };
  return { asked, fetchFn };
}

describe("protected resource metadata (RFC 9728)", () => {
  it("tries the path-aware well-known URL, then the root one", async () => {
    const { asked, fetchFn } = site({
      "https://mcp.example/.well-known/oauth-protected-resource": { resource: "https://mcp.example/" },
    });
    const found = await discoverProtectedResource(
      fetchFn,
      new URL("https://mcp.example/api/mcp/"),
      undefined,
    );
    expect(found?.resource).toBe("https://mcp.example/");
    expect(asked).toEqual([
      "https://mcp.example/.well-known/oauth-protected-resource/api/mcp",
      "https://mcp.example/.well-known/oauth-protected-resource",
    ]);
  });

  it("uses only the URL the challenge named, and fails when it is missing", async () => {
    const { asked, fetchFn } = site({});
    const named = "https://mcp.example/custom/metadata.json";
    await expect(
      discoverProtectedResource(fetchFn, new URL("https://mcp.example/mcp"), named),
    ).rejects.toMatchObject({
      reason: "auth-discovery-failed",
      data: { url: named },
    });
    expect(asked).toEqual([named]);
  });

  it("finds none on a 2025-03-26 server, which has no metadata", async () => {
    const { fetchFn } = site({});
    expect(
      await discoverProtectedResource(fetchFn, new URL("https://mcp.example/mcp"), undefined),
    ).toBeUndefined();
  });

  it.each([
    ["https://mcp.example/mcp", "https://mcp.example/mcp", true],
    ["https://mcp.example", "https://mcp.example/mcp", true],
    ["https://mcp.example/", "https://mcp.example/tenant/mcp", true],
    ["https://mcp.example/mcp/", "https://mcp.example/mcp", true],
    ["https://mcp.example/mcp", "https://mcp.example/mcp/sub", true],
    ["https://mcp.example/mc", "https://mcp.example/mcp", false],
    ["https://mcp.example/other", "https://mcp.example/mcp", false],
    ["https://evil.example/mcp", "https://mcp.example/mcp", false],
    ["http://mcp.example/mcp", "https://mcp.example/mcp", false],
    ["https://mcp.example:8443/mcp", "https://mcp.example/mcp", false],
    ["https://mcp.example/mcp#frag", "https://mcp.example/mcp", false],
    ["not a url", "https://mcp.example/mcp", false],
  ])("resource %s covers the server %s: %s", (resource, server, covers) => {
    expect(resourceCovers(resource, new URL(server))).toBe(covers);
  });
});

describe("authorization server metadata (RFC 8414, OpenID Connect Discovery)", () => {
  it("for an issuer with a path: RFC 8414 insertion, OpenID insertion, OpenID appending, never the root", () => {
    expect(authorizationServerMetadataUrls(new URL("https://as.example/tenant1/"))).toEqual([
      "https://as.example/.well-known/oauth-authorization-server/tenant1",
      "https://as.example/.well-known/openid-configuration/tenant1",
      "https://as.example/tenant1/.well-known/openid-configuration",
    ]);
  });

  it("for an issuer without a path: RFC 8414, then OpenID", () => {
    expect(authorizationServerMetadataUrls(new URL("https://as.example"))).toEqual([
      "https://as.example/.well-known/oauth-authorization-server",
      "https://as.example/.well-known/openid-configuration",
    ]);
  });

  it("takes the first form that answers", async () => {
    const issuer = "https://as.example/tenant1";
    const { asked, fetchFn } = site({
      "https://as.example/tenant1/.well-known/openid-configuration": {
        issuer,
        token_endpoint: `${issuer}/token`,
      },
    });
    expect(await discoverAuthorizationServer(fetchFn, issuer, true)).toMatchObject({ issuer });
    expect(asked).toHaveLength(3);
  });

  it("refuses metadata for another issuer when checking, and takes it for a 2025-03-26 server", async () => {
    const { fetchFn } = site({
      "https://as.example/.well-known/oauth-authorization-server": {
        issuer: "https://as.example/oauth",
        token_endpoint: "https://as.example/oauth/token",
      },
    });
    await expect(discoverAuthorizationServer(fetchFn, "https://as.example", true)).rejects.toMatchObject({
      reason: "issuer-mismatch",
      data: { expected: "https://as.example", actual: "https://as.example/oauth" },
    });
    expect(await discoverAuthorizationServer(fetchFn, "https://as.example", false)).toMatchObject({
      token_endpoint: "https://as.example/oauth/token",
    });
  });

  it("fails on a server error rather than trying the next form", async () => {
    const fetchFn: typeof fetch = async () => new Response("down", { status: 503 });
    await expect(discoverAuthorizationServer(fetchFn, "https://as.example", true)).rejects.toMatchObject({
      reason: "auth-discovery-failed",
      data: { status: 503 },
    });
  });
});
