import { ProtocolError } from "../../protocol/protocol-error.js";
import { type BearerChallenge, parseBearerChallenge } from "./bearer-challenge.js";
import type { OAuthClientProvider } from "./oauth-provider.js";
import { OAuthSession } from "./oauth-session.js";

/** The challenge of a response that asks for a (better) token: any 401, a 403 `insufficient_scope`. */
function challengeOf(response: Response): BearerChallenge | undefined {
  if (response.status !== 401 && response.status !== 403) return undefined;
  const challenge = parseBearerChallenge(response.headers.get("www-authenticate"));
  if (response.status === 403 && challenge.error !== "insufficient_scope") return undefined;
  return challenge;
}

/**
 * A `fetch` for the MCP endpoint that sends the bearer token and gets a new one when the server
 * asks (a 401, or a 403 `insufficient_scope` step-up), then sends the request again; after
 * `maxAuthorizationAttempts` fresh tokens for one request it gives up with
 * `authorization-retry-limit`. Discovery, registration and token requests use `baseFetch`, so the
 * token only ever goes to the MCP server. A `DELETE` (closing the session) never starts an
 * authorization: closing must not ask the user to sign in.
 */
export function authorizedFetch(
  provider: OAuthClientProvider,
  serverUrl: URL,
  baseFetch: typeof fetch,
): typeof fetch {
  const session = new OAuthSession(provider, serverUrl, baseFetch);
  const maxAttempts = provider.maxAuthorizationAttempts ?? 3;
  return async (input, init = {}) => {
    for (let attempts = 0; ; attempts++) {
      const token = await session.accessToken();
      const headers = new Headers(init.headers);
      if (token !== undefined) headers.set("authorization", `Bearer ${token}`);
      const response = await baseFetch(input, { ...init, headers });
      const challenge = challengeOf(response);
      if (challenge === undefined && token !== undefined) session.accepted(token);
      if (challenge === undefined || init.method === "DELETE") return response;
      await response.body?.cancel();
      if (attempts >= maxAttempts) {
        throw new ProtocolError(
          "authorization-retry-limit",
          `The server refused ${attempts} fresh tokens for this request (HTTP ${response.status}${challenge.error ? ` ${challenge.error}` : ""}): authorization gave up.`,
          { attempts, status: response.status },
        );
      }
      await session.authorize(challenge, token, response.status === 403);
    }
  };
}
