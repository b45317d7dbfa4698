import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { jwtVerifier } from "../../src/auth/jwt-verifier.js";
import { isFastestMcpError } from "../../src/errors.js";
import { isProtocolError } from "../../src/protocol/protocol-error.js";
import type { RequestInfo } from "../../src/protocol/request-info.js";

const ISSUER = "https://auth.example.com/";
const RESOURCE = "https://api.example.com/mcp";
const REQUEST: RequestInfo = { method: "POST", path: "/mcp", header: () => undefined };
const now = (): number => Math.floor(Date.now() / 1000);

let privateKey: CryptoKey;
let publicJwk: JWK;
let otherPrivateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256", { extractable: true });
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" };
  otherPrivateKey = (await generateKeyPair("ES256")).privateKey;
});

function sign(
  claims: Record<string, unknown> = {},
  key: CryptoKey = privateKey,
  kid = "k1",
): Promise<string> {
  return new SignJWT({ scope: "tools:read tools:run", client_id: "app-1", ...claims })
    .setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" })
    .setIssuer(ISSUER)
    .setAudience(RESOURCE)
    .setSubject("user-42")
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
}

/** The `error_description` a refusal carries (the verifier's message), or the error itself. */
async function refusal(token: string): Promise<string> {
  const verify = jwtVerifier({ jwks: { keys: [publicJwk] }, issuer: ISSUER, audience: RESOURCE });
  try {
    await verify(token, REQUEST);
  } catch (error) {
    if (isProtocolError(error) && error.reason === "invalid-token") return error.message;
    throw error;
  }
  throw new Error("the token was accepted");
}

describe("jwtVerifier", () => {
  it("turns a valid token into AuthInfo: subject, client id, issuer, scopes, expiry and claims", async () => {
    const verify = jwtVerifier({ jwks: { keys: [publicJwk] }, issuer: ISSUER, audience: RESOURCE });
    const auth = await verify(await sign(), REQUEST);
    expect(auth).toMatchObject({
      subject: "user-42",
      clientId: "app-1",
      issuer: ISSUER,
      scopes: ["tools:read", "tools:run"],
    });
    expect(auth?.expiresAt).toBeGreaterThan(now());
    expect(auth?.claims.aud).toBe(RESOURCE);
    expect(Object.isFrozen(auth)).toBe(true);
  });

  it("remembers a verified token: the same AuthInfo comes back without another signature check", async () => {
    const verify = jwtVerifier({ jwks: { keys: [publicJwk] }, issuer: ISSUER, audience: RESOURCE });
    const token = await sign();
    expect(await verify(token, REQUEST)).toBe(await verify(token, REQUEST));
  });

  it("reads scopes from scp (a list, as Entra and Okta issue them) and the client from azp", async () => {
    const verify = jwtVerifier({ key: publicJwk, issuer: ISSUER, audience: RESOURCE });
    const auth = await verify(
      await sign({ scope: undefined, scp: ["a", "b"], client_id: undefined, azp: "spa" }),
      REQUEST,
    );
    expect(auth).toMatchObject({ scopes: ["a", "b"], clientId: "spa" });
  });

  it.each([
    [
      "a token for another resource",
      { aud: "https://other.example.com/mcp" },
      /not issued for this resource/,
    ],
    ["a token from another issuer", { iss: "https://evil.example.com/" }, /does not trust/],
    ["an expired token", { exp: now() - 60 }, /expired at \d{4}-/],
    ["a token not valid yet", { nbf: now() + 600 }, /not valid yet/],
    ["a token without an expiry", { exp: undefined }, /"exp" claim/],
  ])("refuses %s with a message that says why", async (_what, claims, message) => {
    const withClaims = await new SignJWT({
      sub: "user-42",
      iss: ISSUER,
      aud: RESOURCE,
      exp: now() + 300,
      ...claims,
    })
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .sign(privateKey);
    expect(await refusal(withClaims)).toMatch(message);
  });

  it("refuses a token signed by another key, and one whose kid no key has", async () => {
    expect(await refusal(await sign({}, otherPrivateKey))).toMatch(/signature does not verify/);
    expect(await refusal(await sign({}, otherPrivateKey, "k2"))).toMatch(/key id \(kid\)/);
  });

  it("refuses alg none, an HMAC token made with the public key, and a malformed token", async () => {
    const unsecured = new UnsecuredJWT({
      sub: "user-42",
      iss: ISSUER,
      aud: RESOURCE,
      exp: now() + 60,
    }).encode();
    expect(await refusal(unsecured)).toMatch(/algorithm this resource does not accept/);
    const hmac = await new SignJWT({ sub: "user-42" })
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .setIssuer(ISSUER)
      .setAudience(RESOURCE)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    expect(await refusal(hmac)).toMatch(/algorithm this resource does not accept/);
    expect(await refusal("not.a.jwt")).toMatch(/not a well-formed signed JWT/);
  });

  it("never puts the token in its message", async () => {
    const token = await sign({}, otherPrivateKey);
    const message = await refusal(token);
    for (const part of token.split(".")) expect(message).not.toContain(part);
  });

  it.each([
    ["no audience", { jwks: { keys: [] }, issuer: ISSUER }],
    ["no key source", { issuer: ISSUER, audience: RESOURCE }],
    [
      "two key sources",
      { jwks: { keys: [] }, jwksUri: "https://a.example/jwks", issuer: ISSUER, audience: RESOURCE },
    ],
    ['algorithm "none"', { jwks: { keys: [] }, issuer: ISSUER, audience: RESOURCE, algorithms: ["none"] }],
    [
      "HS256 with a public key set",
      { jwks: { keys: [] }, issuer: ISSUER, audience: RESOURCE, algorithms: ["HS256"] },
    ],
    ["an HMAC secret without algorithms", { key: new Uint8Array(32), issuer: ISSUER, audience: RESOURCE }],
    ["a private JWK as key", { key: { kty: "EC", d: "x" }, issuer: ISSUER, audience: RESOURCE }],
  ])("refuses options with %s at construction", (_what, options) => {
    let thrown: unknown;
    try {
      jwtVerifier(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(isFastestMcpError(thrown) && thrown.code === "FMCP_ERR_OPTION_INVALID").toBe(true);
  });

  it("accepts an HMAC secret only with HS algorithms listed explicitly", async () => {
    const secret = new TextEncoder().encode("a-shared-secret-of-at-least-32-bytes!");
    const verify = jwtVerifier({ key: secret, algorithms: ["HS256"], issuer: ISSUER, audience: RESOURCE });
    const token = await new SignJWT({ sub: "svc" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(ISSUER)
      .setAudience(RESOURCE)
      .setExpirationTime("1m")
      .sign(secret);
    expect((await verify(token, REQUEST))?.subject).toBe("svc");
  });
});
