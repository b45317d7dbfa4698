import { ProtocolError } from "../../protocol/protocol-error.js";
import { authorizationCode } from "./authorization-response.js";
import { type AuthorizationTarget, discoverTarget } from "./authorization-target.js";
import type { BearerChallenge } from "./bearer-challenge.js";
import { discoverAuthorizationServer } from "./discovery.js";
import type { OAuthClientProvider } from "./oauth-provider.js";
import type { AuthorizationServerMetadata, OAuthClientInformation, OAuthTokens } from "./oauth-types.js";
import { createPkce, randomToken } from "./pkce.js";
import { clientIdentity } from "./registration.js";
import { selectScope } from "./scope-selection.js";
import { requestToken, selectAuthMethod, type TokenClient } from "./token-requests.js";
import { MemoryTokenStorage, type StoredTokens, type TokenStorage } from "./token-storage.js";

/** Refresh this long before `expires_at`, so a token does not expire on its way to the server. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * The OAuth state of one connection to one MCP server: its tokens (loaded from and saved to the
 * provider's storage), and the flows that get new ones when the server refuses them. Every flow
 * is single-flight: requests refused at the same time wait for one authorization.
 */
export class OAuthSession {
  readonly #provider: OAuthClientProvider;
  readonly #serverUrl: URL;
  readonly #fetch: typeof fetch;
  readonly #storage: TokenStorage;
  #stored: StoredTokens | undefined;
  #loaded = false;
  #target: AuthorizationTarget | undefined;
  /**
   * The token just obtained, until the server accepts it: one the server refuses right away is
   * not refreshed (a refresh would only produce another like it); the user is asked instead.
   */
  #fresh: string | undefined;
  /** The scopes of the last authorization request, so a step-up only ever widens them. */
  #scope: string | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(provider: OAuthClientProvider, serverUrl: URL, fetchFn: typeof fetch) {
    this.#provider = provider;
    this.#serverUrl = serverUrl;
    this.#fetch = fetchFn;
    this.#storage = provider.storage ?? new MemoryTokenStorage();
  }

  /** The access token to send now: refreshed first when it is about to expire; undefined if none. */
  async accessToken(): Promise<string | undefined> {
    if (this.#inFlight !== undefined) await this.#inFlight.catch(() => undefined);
    if (!this.#loaded) {
      this.#loaded = true;
      this.#stored = await this.#storage.getTokens(this.#serverUrl.href);
      this.#scope ??= this.#stored?.tokens.scope;
    }
    const tokens = this.#stored?.tokens;
    if (tokens === undefined) return undefined;
    const expiring = tokens.expires_at !== undefined && tokens.expires_at - EXPIRY_MARGIN_MS <= Date.now();
    if (expiring && tokens.refresh_token !== undefined) {
      await this.#once(() => this.#refresh()).catch(() => undefined);
    }
    return this.#stored?.tokens.access_token;
  }

  /**
   * Gets a new token after the server refused `rejected` with `challenge` (401, or 403
   * `insufficient_scope` when `stepUp`): nothing if another request already replaced it; a
   * refresh for an expired token; else the provider's grant.
   */
  authorize(challenge: BearerChallenge, rejected: string | undefined, stepUp: boolean): Promise<void> {
    if (this.#stored !== undefined && this.#stored.tokens.access_token !== rejected) return Promise.resolve();
    return this.#once(async () => {
      const tokens = this.#stored?.tokens;
      if (!stepUp && tokens?.refresh_token !== undefined && tokens.access_token !== this.#fresh) {
        try {
          await this.#refresh();
          return;
        } catch {
          // The refresh was refused (or failed): the grant below asks again.
        }
      }
      await this.#grant(challenge, stepUp);
    });
  }

  /** The server took `token`: from now on a refusal of it is worth a refresh. */
  accepted(token: string): void {
    if (token === this.#fresh) this.#fresh = undefined;
  }

  #once(flow: () => Promise<void>): Promise<void> {
    if (this.#inFlight !== undefined) return this.#inFlight;
    const running = flow().finally(() => {
      this.#inFlight = undefined;
    });
    this.#inFlight = running;
    return running;
  }

  async #tokenClient(metadata: AuthorizationServerMetadata): Promise<TokenClient> {
    const provider = this.#provider;
    const info: OAuthClientInformation = await clientIdentity(this.#fetch, provider, this.#storage, metadata);
    const hasKey = provider.privateKey !== undefined && info.client_id === provider.clientId;
    return {
      info,
      method: selectAuthMethod(info, metadata, hasKey),
      ...(hasKey ? { privateKey: provider.privateKey, signingAlgorithm: provider.signingAlgorithm } : {}),
    };
  }

  async #grant(challenge: BearerChallenge, stepUp: boolean): Promise<void> {
    // Run again for every grant, never cached: a server that moved to another authorization
    // server (SEP-2352) says so only there, and the client must then register with the new one.
    const target = await discoverTarget(this.#fetch, this.#serverUrl, challenge.resourceMetadata);
    this.#target = target;
    const { metadata, resource } = target;
    const provider = this.#provider;
    const grant = provider.grant ?? "authorization_code";
    const scope = selectScope({
      challenge: challenge.scope,
      resourceScopes: target.resourceScopes,
      configured: provider.scope,
      previous: stepUp ? this.#scope : undefined,
      serverScopes: metadata.scopes_supported,
      offlineAccess: grant === "authorization_code" && provider.offlineAccess !== false,
    });
    this.#scope = scope;
    let tokens: OAuthTokens;
    if (grant === "client_credentials") {
      const client = await this.#tokenClient(metadata);
      tokens = await requestToken(this.#fetch, metadata, client, {
        grant_type: "client_credentials",
        scope,
        resource,
      });
    } else if (grant !== "authorization_code") {
      const client = await this.#tokenClient(metadata);
      const assertion = await grant.assertion({ issuer: metadata.issuer, resource });
      tokens = await requestToken(this.#fetch, metadata, client, {
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion,
        scope,
        resource,
      });
    } else {
      tokens = await this.#authorizationCode(target, scope);
    }
    await this.#save(metadata.issuer, resource, tokens);
  }

  /** The authorization code grant with PKCE S256 (OAuth 2.1 §4.1), the user answering in a browser. */
  async #authorizationCode(target: AuthorizationTarget, scope: string | undefined): Promise<OAuthTokens> {
    const { metadata, resource } = target;
    const { redirectUrl, authorize } = this.#provider;
    if (
      redirectUrl === undefined ||
      authorize === undefined ||
      metadata.authorization_endpoint === undefined
    ) {
      throw new ProtocolError(
        "authorization-failed",
        redirectUrl === undefined || authorize === undefined
          ? "The authorization code grant needs the provider's redirectUrl and authorize()."
          : `${metadata.issuer} has no authorization endpoint.`,
        { issuer: metadata.issuer },
      );
    }
    // MCP: a client MUST refuse an authorization server whose metadata does not list S256.
    if (target.discovered && !metadata.code_challenge_methods_supported?.includes("S256")) {
      throw new ProtocolError(
        "authorization-failed",
        `${metadata.issuer} does not list PKCE S256 in code_challenge_methods_supported: the client refuses to use it.`,
        { issuer: metadata.issuer },
      );
    }
    const client = await this.#tokenClient(metadata);
    const pkce = await createPkce();
    const state = randomToken(16);
    const url = new URL(metadata.authorization_endpoint);
    const params: Record<string, string | undefined> = {
      response_type: "code",
      client_id: client.info.client_id,
      redirect_uri: redirectUrl,
      code_challenge: pkce.challenge,
      code_challenge_method: "S256",
      state,
      scope,
      resource,
    };
    for (const [name, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.set(name, value);
    const redirected = await authorize.call(this.#provider, url);
    const code = authorizationCode(redirected, {
      state,
      issuer: target.discovered ? metadata.issuer : undefined,
      issRequired: metadata.authorization_response_iss_parameter_supported === true,
    });
    return requestToken(this.#fetch, metadata, client, {
      grant_type: "authorization_code",
      code,
      code_verifier: pkce.verifier,
      redirect_uri: redirectUrl,
      resource,
    });
  }

  /** The refresh token grant (RFC 6749 §6); a refused refresh forgets the tokens. */
  async #refresh(): Promise<void> {
    const stored = this.#stored as StoredTokens;
    const refreshToken = stored.tokens.refresh_token as string;
    const metadata =
      this.#target?.metadata.issuer === stored.issuer
        ? this.#target.metadata
        : await discoverAuthorizationServer(this.#fetch, stored.issuer, false);
    if (metadata === undefined)
      throw new ProtocolError("auth-discovery-failed", undefined, { url: stored.issuer });
    try {
      const client = await this.#tokenClient(metadata);
      const tokens = await requestToken(this.#fetch, metadata, client, {
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        resource: stored.resource,
      });
      // A server may keep the refresh token without sending it again (RFC 6749 §6).
      tokens.refresh_token ??= refreshToken;
      await this.#save(stored.issuer, stored.resource, tokens);
    } catch (error) {
      this.#stored = undefined;
      await this.#storage.deleteTokens(this.#serverUrl.href);
      throw error;
    }
  }

  async #save(issuer: string, resource: string | undefined, tokens: OAuthTokens): Promise<void> {
    this.#fresh = tokens.access_token;
    this.#stored = { issuer, ...(resource === undefined ? {} : { resource }), tokens };
    await this.#storage.setTokens(this.#serverUrl.href, this.#stored);
  }
}
