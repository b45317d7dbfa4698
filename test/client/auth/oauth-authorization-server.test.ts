/**
 * The client's OAuth against a real authorization server (panva's oidc-provider on 127.0.0.1)
 * and our own protected FastestMCP server over HTTP: the authorization code grant with PKCE and
 * dynamic registration (the user's browser is driven with fetch), refresh, step-up, and the
 * client credentials grant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryTokenStorage } from "../../../src/client/auth/token-storage.js";
import { Client } from "../../../src/client/client.js";
import type { OAuthClientProvider } from "../../../src/client/index.js";
import { startAuthorizationServer, type TestAuthorizationServer } from "../../auth/authorization-server.js";
import { type ProtectedServer, startProtectedServer } from "../../auth/protected-server.js";

const REDIRECT_URL = "http://127.0.0.1:8976/callback";

let as: TestAuthorizationServer;
let mcp: ProtectedServer;
let adminOnly: ProtectedServer;

function addWhoami(server: ProtectedServer["server"]): void {
  server.addTool("whoami", (_args, ctx) => ({
    subject: ctx.auth?.subject ?? null,
    clientId: ctx.auth?.clientId ?? null,
    scopes: ctx.auth?.scopes ?? [],
  }));
}

beforeAll(async () => {
  as = await startAuthorizationServer();
  mcp = await startProtectedServer(as, addWhoami);
  adminOnly = await startProtectedServer(as, addWhoami, { requiredScopes: ["tools:read", "admin"] });
});

afterAll(async () => {
  await mcp?.close();
  await adminOnly?.close();
  await as?.close();
});

/** The structured result of `whoami`. */
async function whoami(
  client: Client,
): Promise<{ subject: string | null; clientId: string | null; scopes: string[] }> {
  const result = await client.callTool("whoami", {}, { throwOnError: true });
  return result.structuredContent as { subject: string | null; clientId: string | null; scopes: string[] };
}

/** A user's provider: dynamic registration, the test browser signing `user` in, URLs recorded. */
function userProvider(user: string, storage = new MemoryTokenStorage()) {
  const opened: URL[] = [];
  const browse = as.browser(user);
  const provider: OAuthClientProvider = {
    redirectUrl: REDIRECT_URL,
    clientMetadata: { client_name: "fastestmcp test host" },
    storage,
    authorize: (url) => {
      opened.push(url);
      return browse(url);
    },
  };
  return { provider, opened, storage };
}

describe("authorization code grant with PKCE against oidc-provider", () => {
  it("registers dynamically, signs the user in and calls the protected server with the token", async () => {
    const { provider, opened, storage } = userProvider("alice");
    const client = await Client.connect(mcp.url, { auth: provider });
    try {
      const me = await whoami(client);
      expect(me).toMatchObject({ subject: "alice", scopes: ["tools:read"] });
    } finally {
      await client.close();
    }
    expect(opened).toHaveLength(1);
    const params = (opened[0] as URL).searchParams;
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("resource")).toBe(mcp.url);
    // The scope of the server's challenge, and a refresh token because the server offers one.
    expect(params.get("scope")).toBe("tools:read offline_access");
    const registered = storage.getClient(as.issuer);
    expect(registered?.client_id).toEqual(params.get("client_id"));
    expect(registered?.token_endpoint_auth_method).toBe("none");
    const stored = storage.getTokens(mcp.url);
    expect(stored).toMatchObject({ issuer: as.issuer, resource: mcp.url });
    expect(stored?.tokens.refresh_token).toEqual(expect.any(String));
  });

  it("refreshes an expired token from its storage without asking the user again", async () => {
    const { provider, storage } = userProvider("bob");
    const first = await Client.connect(mcp.url, { auth: provider });
    await first.close();
    const stored = storage.getTokens(mcp.url);
    const before = stored?.tokens.access_token;
    if (stored === undefined) throw new Error("no tokens were stored");
    storage.setTokens(mcp.url, { ...stored, tokens: { ...stored.tokens, expires_at: 0 } });
    const neverAsked: OAuthClientProvider = {
      ...provider,
      authorize: () => Promise.reject(new Error("the user was asked to sign in again")),
    };
    const second = await Client.connect(mcp.url, { auth: neverAsked });
    try {
      expect((await whoami(second)).subject).toBe("bob");
    } finally {
      await second.close();
    }
    const after = storage.getTokens(mcp.url)?.tokens;
    expect(after?.access_token).not.toBe(before);
    expect(after?.expires_at).toBeGreaterThan(Date.now());
  });

  it("steps up on 403 insufficient_scope: asks again for the scopes the challenge names", async () => {
    const storage = new MemoryTokenStorage();
    // A token the user granted earlier, for tools:read only.
    const narrow = await as.userToken("carol", adminOnly.url, "tools:read");
    storage.setTokens(adminOnly.url, {
      issuer: as.issuer,
      resource: adminOnly.url,
      tokens: { access_token: narrow, token_type: "Bearer", scope: "tools:read" },
    });
    const { provider, opened } = userProvider("carol", storage);
    const client = await Client.connect(adminOnly.url, { auth: provider });
    try {
      expect((await whoami(client)).scopes).toEqual(expect.arrayContaining(["tools:read", "admin"]));
    } finally {
      await client.close();
    }
    expect(opened).toHaveLength(1);
    expect((opened[0] as URL).searchParams.get("scope")?.split(" ")).toEqual(
      expect.arrayContaining(["tools:read", "admin"]),
    );
  });
});

describe("client credentials grant against oidc-provider", () => {
  it("gets a token for the resource with the pre-registered secret and calls the server as the client", async () => {
    const { alice } = as.clients;
    const client = await Client.connect(mcp.url, {
      auth: { grant: "client_credentials", clientId: alice.id, clientSecret: alice.secret },
    });
    try {
      const me = await whoami(client);
      expect(me.clientId).toBe(alice.id);
      expect(me.scopes).toEqual(expect.arrayContaining(["tools:read"]));
    } finally {
      await client.close();
    }
  });

  it("fails with authorization-failed, the server's error and no secret, for a wrong secret", async () => {
    const { bob } = as.clients;
    const failure = await Client.connect(mcp.url, {
      auth: { grant: "client_credentials", clientId: bob.id, clientSecret: "not-the-secret" },
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ reason: "authorization-failed", data: { error: "invalid_client" } });
    expect(String((failure as Error).message)).not.toContain("not-the-secret");
  });
});
