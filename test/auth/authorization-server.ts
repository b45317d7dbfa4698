import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import Provider from "oidc-provider";

/** A confidential client of the test authorization server (client credentials grant). */
export interface TestClient {
  readonly id: string;
  readonly secret: string;
}

/** The public client (no secret) of the authorization code grant. */
export const PUBLIC_CLIENT_ID = "public-cli";
const REDIRECT_URI = "http://127.0.0.1/callback";

/** The `set-cookie` values of a response, as one `cookie` header. */
function cookiesOf(response: Response, jar: Map<string, string>): string {
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(";") as [string];
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

/**
 * Follows the provider's redirects (auth → interaction → resume) with a cookie jar, as a browser
 * would, until it redirects to `redirectUri`; returns that URL.
 */
async function followToRedirect(start: string, redirectUri: string, issuer: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = start;
  for (let hops = 0; !url.startsWith(redirectUri); hops++) {
    if (hops > 5) throw new Error("the authorization request did not reach the redirect URI");
    const response = await fetch(url, {
      redirect: "manual",
      headers: { cookie: cookiesOf(new Response(), jar) },
    });
    cookiesOf(response, jar);
    const location = response.headers.get("location");
    if (location === null)
      throw new Error(`authorization answered ${response.status}: ${await response.text()}`);
    url = new URL(location, issuer).href;
  }
  return url;
}

/** Scopes the test resource servers understand. */
export const TEST_SCOPES = ["tools:read", "tools:run", "admin"] as const;

/** A real OAuth 2.1 / OpenID provider (panva's oidc-provider) on 127.0.0.1, for the tests. */
export interface TestAuthorizationServer {
  readonly issuer: string;
  readonly jwksUri: string;
  /** The provider's private signing key, to mint tokens a grant cannot produce (expired ones). */
  readonly signingKey: JWK;
  readonly clients: { readonly alice: TestClient; readonly bob: TestClient };
  /** Runs the client credentials grant for `resource` (RFC 8707) and returns the JWT access token. */
  token(client: TestClient, resource: string, scope?: string): Promise<string>;
  /**
   * Runs the authorization code grant with PKCE (S256) for `resource` as the public client
   * `PUBLIC_CLIENT_ID`, the user `user` signing in and consenting (the provider's interaction is
   * answered by the test server itself), and returns the JWT access token.
   */
  userToken(user: string, resource: string, scope?: string): Promise<string>;
  /**
   * A user's browser for a client that runs the authorization code grant itself: opens the
   * authorization URL, signs `user` in, consents to what the client asked for (a scope the
   * client may have, for the resource it named) and resolves with the URL the provider
   * redirected to (`redirect_uri` with `code`, `state`, `iss`). Each call is a fresh browser.
   */
  browser(user: string): (authorizationUrl: URL) => Promise<URL>;
  close(): Promise<void>;
}

/**
 * Starts oidc-provider with client credentials and authorization code + PKCE, resource indicators
 * issuing JWT access tokens (RS256, audience = the requested resource), two confidential clients
 * and one public client.
 */
export async function startAuthorizationServer(): Promise<TestAuthorizationServer> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  /** The user the next interaction signs in, and the resource and scopes it consents to. */
  let pending: { user: string; resource: string; scope: string } | undefined;
  /** The user a client-driven authorization signs in: it consents to what the client asked for. */
  let browserUser: string | undefined;
  const http: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "test-key-1", alg: "RS256", use: "sig" };
  const clients = {
    alice: { id: "alice-app", secret: "alice-secret-0123456789abcdef" },
    bob: { id: "bob-app", secret: "bob-secret-0123456789abcdef" },
  };
  const provider = new Provider(issuer, {
    clients: [
      ...Object.values(clients).map((client) => ({
        client_id: client.id,
        client_secret: client.secret,
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
        scope: TEST_SCOPES.join(" "),
      })),
      {
        client_id: PUBLIC_CLIENT_ID,
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code"],
        response_types: ["code"],
        redirect_uris: [REDIRECT_URI],
        scope: ["openid", ...TEST_SCOPES].join(" "),
      },
    ],
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id }) }),
    ttl: {
      ClientCredentials: 300,
      AccessToken: 300,
      RefreshToken: 600,
      IdToken: 300,
      AuthorizationCode: 60,
      Grant: 600,
      Interaction: 600,
      Session: 600,
    },
    scopes: ["openid", "offline_access", ...TEST_SCOPES],
    jwks: { keys: [signingKey] },
    // A refresh token for every client allowed the grant. (oidc-provider's default also wants
    // offline_access, which OpenID Connect keeps only with prompt=consent: not an MCP client's way.)
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(grant: string): boolean }) =>
      client.grantTypeAllowed("refresh_token"),
    features: {
      clientCredentials: { enabled: true },
      // Dynamic client registration (RFC 7591), for clients that register themselves.
      registration: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({
          scope: TEST_SCOPES.join(" "),
          audience: resource,
          accessTokenTTL: 300,
          accessTokenFormat: "jwt",
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
  });
  const callback = provider.callback();
  handler = (req, res) => {
    if (!req.url?.startsWith("/interaction/")) {
      void callback(req, res);
      return;
    }
    // The user signs in and consents at once: a grant for the pending resource and scopes.
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const { user, resource, scope } =
        pending ??
        ({
          user: browserUser as string,
          resource: details.params.resource as string,
          // The user consents to what the client asked for; OIDC scopes are added below.
          scope: String(details.params.scope ?? "")
            .split(" ")
            .filter((name) => TEST_SCOPES.includes(name as (typeof TEST_SCOPES)[number]))
            .join(" "),
        } as NonNullable<typeof pending>);
      const offline = String(details.params.scope ?? "")
        .split(" ")
        .includes("offline_access");
      const grant = new provider.Grant({ accountId: user, clientId: details.params.client_id as string });
      // The test scopes are provider-wide scopes too: the grant names them both ways.
      grant.addOIDCScope(`openid ${offline ? "offline_access " : ""}${scope}`);
      grant.addResourceScope(resource, scope);
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })();
  };
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    signingKey,
    clients,
    async token(client, resource, scope = TEST_SCOPES.join(" ")) {
      const response = await fetch(`${issuer}/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${btoa(`${client.id}:${client.secret}`)}`,
        },
        body: new URLSearchParams({ grant_type: "client_credentials", resource, scope }),
      });
      const body = (await response.json()) as {
        access_token?: string;
        error?: string;
        error_description?: string;
      };
      if (body.access_token === undefined) {
        throw new Error(`token request failed: ${body.error} ${body.error_description}`);
      }
      return body.access_token;
    },
    browser(user) {
      return async (authorizationUrl) => {
        pending = undefined;
        browserUser = user;
        const redirectUri = authorizationUrl.searchParams.get("redirect_uri") as string;
        return new URL(await followToRedirect(authorizationUrl.href, redirectUri, issuer));
      };
    },
    async userToken(user, resource, scope = "tools:read tools:run") {
      pending = { user, resource, scope };
      const verifier = randomBytes(32).toString("base64url");
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      const url = `${issuer}/auth?${new URLSearchParams({
        client_id: PUBLIC_CLIENT_ID,
        response_type: "code",
        redirect_uri: REDIRECT_URI,
        scope: `openid ${scope}`,
        resource,
        code_challenge: challenge,
        code_challenge_method: "S256",
        state: "s1",
      })}`;
      const redirected = await followToRedirect(url, REDIRECT_URI, issuer);
      const code = new URL(redirected).searchParams.get("code");
      if (code === null) throw new Error(`no code in the redirect: ${redirected}`);
      const response = await fetch(`${issuer}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: REDIRECT_URI,
          client_id: PUBLIC_CLIENT_ID,
          code_verifier: verifier,
          resource,
        }),
      });
      const body = (await response.json()) as {
        access_token?: string;
        error?: string;
        error_description?: string;
      };
      if (body.access_token === undefined) {
        throw new Error(`token request failed: ${body.error} ${body.error_description}`);
      }
      return body.access_token;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
