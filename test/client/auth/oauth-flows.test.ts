/**
 * The client's OAuth flows against our own protected FastestMCP server and scripted
 * authorization servers (test/client/auth/fake-oauth-world.ts): what goes on the wire, and every
 * refusal the MCP authorization spec asks of a client (RFC 9207 `iss`, RFC 8414 issuer, resource
 * mismatch, PKCE support, state), each by its reason.
 */
import { createHash } from "node:crypto";
import { exportPKCS8, generateKeyPair, jwtVerify } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import type { OAuthClientProvider } from "../../../src/client/auth/oauth-provider.js";
import { MemoryTokenStorage } from "../../../src/client/auth/token-storage.js";
import { Client } from "../../../src/client/client.js";
import { type FakeWorld, fakeWorld, MCP_URL, REDIRECT_URL } from "./fake-oauth-world.js";

let world: FakeWorld;

afterEach(async () => {
  await world?.close();
});

/** A user's provider: the world's browser, dynamic registration. */
function provider(extra: Partial<OAuthClientProvider> = {}): OAuthClientProvider {
  return { redirectUrl: REDIRECT_URL, authorize: (url) => world.as.browse(url), ...extra };
}

async function connect(auth: OAuthClientProvider): Promise<Client> {
  return Client.connect(MCP_URL, { fetch: world.fetch, auth });
}

/** What `connect` (and a first call) rejects with. */
async function failure(auth: OAuthClientProvider): Promise<Record<string, unknown>> {
  try {
    const client = await connect(auth);
    await client.close();
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error("connect succeeded");
}

describe("the authorization code flow", () => {
  it("registers, authorizes with PKCE S256 and the resource, and sends the token to the MCP server only", async () => {
    world = fakeWorld();
    const client = await connect(provider());
    expect(await client.callTool("whoami", {})).toMatchObject({ structuredContent: { scopes: ["read"] } });
    await client.close();

    const [registration] = world.as.registrations;
    expect(registration?.json).toMatchObject({
      redirect_uris: [REDIRECT_URL],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      application_type: "native",
    });
    const [authorization] = world.as.authorizations;
    expect(Object.fromEntries(authorization ?? [])).toMatchObject({
      response_type: "code",
      client_id: "as.example-client-1",
      code_challenge_method: "S256",
      scope: "read",
      resource: MCP_URL,
    });
    const [token] = world.as.tokenRequests;
    expect(token?.form.get("resource")).toBe(MCP_URL);
    expect(token?.form.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(
      createHash("sha256")
        .update(token?.form.get("code_verifier") ?? "")
        .digest("base64url"),
    ).toBe(authorization?.get("code_challenge"));
    // The bearer token never travels to the authorization server.
    for (const seen of [...world.as.tokenRequests, ...world.as.registrations]) {
      expect(seen.headers.get("authorization")).toBeNull();
    }
    expect(world.bearerTokens.every((header) => header.startsWith("Bearer at-as.example-"))).toBe(true);
  });

  it("discovers path-aware resource metadata first and the RFC 8414 metadata of the issuer", async () => {
    world = fakeWorld();
    await (await connect(provider())).close();
    const discovery = world.fetched.filter((url) => url.includes("/.well-known/"));
    expect(discovery).toEqual([
      "http://localhost/.well-known/oauth-protected-resource/mcp",
      "https://as.example/.well-known/oauth-authorization-server",
    ]);
  });

  it("uses the client metadata document URL as client_id where the server supports it, without registering", async () => {
    world = fakeWorld();
    world.as.metadata.client_id_metadata_document_supported = true;
    const url = "https://host.example/client.json";
    await (await connect(provider({ clientMetadataUrl: url }))).close();
    expect(world.as.registrations).toEqual([]);
    expect(world.as.authorizations[0]?.get("client_id")).toBe(url);
  });

  it("keeps a registration and tokens in its storage: a second client neither registers nor asks the user", async () => {
    world = fakeWorld();
    const storage = new MemoryTokenStorage();
    await (await connect(provider({ storage }))).close();
    const again = await connect(provider({ storage, authorize: () => Promise.reject(new Error("asked")) }));
    await again.close();
    expect(world.as.registrations).toHaveLength(1);
    expect(world.as.authorizations).toHaveLength(1);
  });

  it("refreshes on a 401 before asking the user again, and asks only when the refresh is refused too", async () => {
    world = fakeWorld();
    const client = await connect(provider());
    world.refuseAll = true;
    const failed = await client.listTools().catch((error: unknown) => error);
    world.refuseAll = false;
    expect(failed).toMatchObject({ reason: "authorization-retry-limit", data: { attempts: 3, status: 401 } });
    // A refresh, then two authorizations with the user: every new token was refused.
    expect(world.as.tokenRequests.map((seen) => seen.form.get("grant_type"))).toEqual([
      "authorization_code",
      "refresh_token",
      "authorization_code",
      "authorization_code",
    ]);
    expect(JSON.stringify(failed)).not.toMatch(/at-as\.example/);
    expect((failed as Error).message).not.toMatch(/at-as\.example/);
    await client.close();
  });

  it("waits for one authorization when requests are refused at the same time", async () => {
    world = fakeWorld();
    const client = await connect(provider());
    world.revokeAll();
    await Promise.all([client.listTools(), client.callTool("whoami", {}), client.listTools()]);
    expect(world.as.tokenRequests.map((seen) => seen.form.get("grant_type"))).toEqual([
      "authorization_code",
      "refresh_token",
    ]);
    await client.close();
  });
});

describe("scopes", () => {
  it("steps up on 403 insufficient_scope to the union of the scopes, and gives up after maxAuthorizationAttempts", async () => {
    world = fakeWorld(["read", "admin"]);
    world.as.grantScopes = ["read"];
    const error = await failure(provider({ maxAuthorizationAttempts: 2 }));
    expect(error).toMatchObject({ reason: "authorization-retry-limit", data: { attempts: 2, status: 403 } });
    expect(world.as.authorizations.map((params) => params.get("scope"))).toEqual([
      "read admin",
      "read admin",
    ]);
  });

  it("asks for the resource metadata's scopes_supported when the challenge names none, and offline_access where offered", async () => {
    world = fakeWorld([]);
    world.as.metadata.scopes_supported = ["read", "write", "offline_access"];
    await (await connect(provider())).close();
    expect(world.as.authorizations[0]?.get("scope")).toBe("read write offline_access");
  });

  it("omits scope when neither the challenge nor the metadata names any", async () => {
    world = fakeWorld([]);
    world.resourceMetadata = { scopes_supported: undefined };
    await (await connect(provider())).close();
    expect(world.as.authorizations[0]?.has("scope")).toBe(false);
  });
});

describe("what the client refuses", () => {
  it("a resource metadata document for another resource: no authorization at all", async () => {
    world = fakeWorld();
    world.resourceMetadata = { resource: "https://evil.example/mcp" };
    expect(await failure(provider())).toMatchObject({ reason: "resource-mismatch" });
    expect(world.as.metadataRequests).toEqual([]);
  });

  it("authorization server metadata naming another issuer (RFC 8414 §3.3)", async () => {
    world = fakeWorld();
    world.as.metadata.issuer = "https://attacker.example";
    expect(await failure(provider())).toMatchObject({
      reason: "issuer-mismatch",
      data: { expected: "https://as.example", actual: "https://attacker.example" },
    });
    expect(world.as.authorizations).toEqual([]);
  });

  it.each([
    ["names another issuer", (params: URLSearchParams) => params.set("iss", "https://evil.example")],
    [
      "adds a trailing slash to the issuer",
      (params: URLSearchParams) => params.set("iss", "https://as.example/"),
    ],
    ["has no iss though the metadata promised one", (params: URLSearchParams) => params.delete("iss")],
  ])("an authorization response that %s (RFC 9207): the code is never redeemed", async (_name, change) => {
    world = fakeWorld();
    world.as.redirect = change;
    expect(await failure(provider())).toMatchObject({ reason: "issuer-mismatch" });
    expect(world.as.tokenRequests).toEqual([]);
  });

  it("accepts a response without iss from a server that never promised one", async () => {
    world = fakeWorld();
    world.as.metadata.authorization_response_iss_parameter_supported = undefined;
    world.as.redirect = (params) => params.delete("iss");
    await (await connect(provider())).close();
    expect(world.as.tokenRequests).toHaveLength(1);
  });

  it("a response with another state, or with an error, as authorization-failed", async () => {
    world = fakeWorld();
    world.as.redirect = (params) => params.set("state", "forged");
    expect(await failure(provider())).toMatchObject({ reason: "authorization-failed" });
    world.as.redirect = (params) => {
      params.delete("code");
      params.set("error", "access_denied");
      params.set("error_description", "the user said no");
    };
    expect(await failure(provider())).toMatchObject({
      reason: "authorization-failed",
      data: { error: "access_denied", errorDescription: "the user said no" },
    });
    expect(world.as.tokenRequests).toEqual([]);
  });

  it("an authorization server whose metadata does not list PKCE S256", async () => {
    world = fakeWorld();
    world.as.metadata.code_challenge_methods_supported = ["plain"];
    expect(await failure(provider())).toMatchObject({ reason: "authorization-failed" });
    expect(world.as.authorizations).toEqual([]);
  });

  it("a client it cannot identify: no id, no metadata document support, no registration endpoint", async () => {
    world = fakeWorld();
    world.as.metadata.registration_endpoint = undefined;
    expect(await failure(provider())).toMatchObject({ reason: "authorization-failed" });
  });
});

describe("token endpoint authentication", () => {
  it("client_secret_basic for a pre-registered client, form-encoded before base64 (RFC 6749 §2.3.1)", async () => {
    world = fakeWorld();
    await (await connect(provider({ clientId: "my app", clientSecret: "s:cret" }))).close();
    const [token] = world.as.tokenRequests;
    expect(token?.headers.get("authorization")).toBe(`Basic ${btoa("my+app:s%3Acret")}`);
    expect(token?.form.has("client_secret")).toBe(false);
    expect(world.as.registrations).toEqual([]);
  });

  it("client_secret_post where the server lists only that", async () => {
    world = fakeWorld();
    world.as.metadata.token_endpoint_auth_methods_supported = ["client_secret_post"];
    await (await connect(provider({ clientId: "app", clientSecret: "secret" }))).close();
    const [token] = world.as.tokenRequests;
    expect(token?.headers.get("authorization")).toBeNull();
    expect(Object.fromEntries(token?.form ?? [])).toMatchObject({
      client_id: "app",
      client_secret: "secret",
    });
  });

  it("private_key_jwt for client credentials: an assertion signed for the issuer, jose loaded on demand", async () => {
    world = fakeWorld();
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const auth: OAuthClientProvider = {
      grant: "client_credentials",
      clientId: "machine",
      privateKey: await exportPKCS8(privateKey),
      signingAlgorithm: "ES256",
    };
    await (await connect(auth)).close();
    const [token] = world.as.tokenRequests;
    expect(token?.form.get("grant_type")).toBe("client_credentials");
    expect(token?.form.get("resource")).toBe(MCP_URL);
    expect(token?.form.get("client_assertion_type")).toBe(
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    );
    const { payload } = await jwtVerify(token?.form.get("client_assertion") ?? "", publicKey, {
      audience: "https://as.example",
      issuer: "machine",
      subject: "machine",
    });
    expect(payload.jti).toEqual(expect.any(String));
  });
});

describe("a server that moves to another authorization server (SEP-2352)", () => {
  it("discovers again on the next 401 and registers with the new one instead of reusing the old client id", async () => {
    world = fakeWorld();
    const storage = new MemoryTokenStorage();
    const client = await connect(
      provider({
        storage,
        authorize: (url) => (url.origin === world.as2.issuer ? world.as2.browse(url) : world.as.browse(url)),
      }),
    );
    world.resourceMetadata = { authorization_servers: [world.as2.issuer] };
    world.refuseIssuer = world.as.issuer;
    await client.listTools();
    await client.close();
    expect(world.as2.registrations).toHaveLength(1);
    expect(world.as2.authorizations[0]?.get("client_id")).not.toBe(
      world.as.authorizations[0]?.get("client_id"),
    );
    expect(storage.getTokens(MCP_URL)?.issuer).toBe(world.as2.issuer);
  });
});
