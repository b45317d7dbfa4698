import type { CryptoKey, JSONWebKeySet, JWK, JWTPayload, JWTVerifyGetKey } from "jose";
import { FastestMcpError } from "../errors.js";
import type { AuthInfo } from "../protocol/auth-info.js";
import { quote } from "../protocol/quote.js";
import { tokenRefusal } from "./jwt-refusal.js";
import type { AudienceBoundVerifier } from "./token-verifier.js";
import { invalidToken } from "./token-verifier.js";

/** Where the issuer's public keys come from: exactly one of `jwksUri`, `jwks` or `key`. */
export interface JwtVerifierOptions {
  /** The issuer's JWKS endpoint (`jwks_uri` of its metadata): fetched once, cached, refetched for an unknown `kid`. */
  jwksUri?: string | URL;
  /** The issuer's key set, when you have it at hand. */
  jwks?: JSONWebKeySet;
  /** One key: a public JWK or `CryptoKey`, or an HMAC secret (then `algorithms` must list the HS algorithms). */
  key?: JWK | CryptoKey | Uint8Array;
  /** The issuer (`iss`) accepted: your authorization server's issuer identifier. */
  issuer: string | readonly string[];
  /**
   * The audience (`aud`) a token must name: this server's resource identifier, the `resource` of
   * `auth.resourceMetadata` (RFC 8707). Required: a token minted for another service is refused.
   */
  audience: string | readonly string[];
  /** Signing algorithms accepted (default: the asymmetric ones, RS/PS/ES 256-512 and EdDSA). Never `none`. */
  algorithms?: readonly string[];
  /** Seconds of clock skew allowed when checking `nbf` (default 5); the endpoint refuses a token past its `exp`. */
  clockToleranceSec?: number;
  /** How long the remote key set is cached, in ms (default 10 minutes). */
  jwksCacheMaxAgeMs?: number;
}

/**
 * Verified tokens remembered, at most: a client sends the same token on every request, and a
 * signature check costs far more than the request it guards. Oldest entries go first.
 */
const CACHE_ENTRIES = 1024;
/** How long a verification is trusted without checking again (a key the issuer withdrew stops working by then). */
const CACHE_MS = 60_000;

/** The asymmetric JWS algorithms: what a verifier accepts unless told otherwise. */
const ASYMMETRIC = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
] as const;

function invalid(message: string): FastestMcpError {
  return new FastestMcpError("FMCP_ERR_OPTION_INVALID", `jwtVerifier: ${message}`);
}

function stringList(value: unknown, option: string): string[] {
  const list = typeof value === "string" ? [value] : Array.isArray(value) ? [...value] : undefined;
  if (
    list === undefined ||
    list.length === 0 ||
    list.some((entry) => typeof entry !== "string" || entry === "")
  ) {
    throw invalid(`${option} must be a non-empty string or a non-empty array of them, got ${quote(value)}.`);
  }
  return list;
}

/** True for a symmetric key: an HMAC secret as bytes or as a secret `CryptoKey`. */
function isSecret(key: unknown): boolean {
  return (
    key instanceof Uint8Array ||
    (typeof key === "object" && key !== null && (key as CryptoKey).type === "secret")
  );
}

/**
 * The accepted algorithms, checked against the key material: `none` is never accepted; an HMAC
 * secret accepts only the HS algorithms it was given explicitly, and a public key source never
 * accepts them, so a token signed with the public key as an HMAC secret cannot pass.
 */
function algorithmsFor(options: JwtVerifierOptions): string[] {
  const secret = isSecret(options.key);
  if (options.algorithms === undefined) {
    if (secret) throw invalid("an HMAC secret needs algorithms listed explicitly (e.g. ['HS256']).");
    return [...ASYMMETRIC];
  }
  const algorithms = stringList(options.algorithms, "algorithms");
  for (const alg of algorithms) {
    if (alg.toLowerCase() === "none") throw invalid('algorithm "none" is never accepted.');
    const hmac = alg.startsWith("HS");
    if (hmac !== secret) {
      throw invalid(
        hmac
          ? `algorithm ${quote(alg)} needs an HMAC secret as key; a public key source accepts only asymmetric algorithms.`
          : `algorithm ${quote(alg)} is asymmetric, but the key is an HMAC secret.`,
      );
    }
  }
  return algorithms;
}

type Jose = typeof import("jose");
type VerifyKey = JWTVerifyGetKey | CryptoKey | Uint8Array;

let jose: Promise<Jose> | undefined;
/** jose, loaded at the first token check: a server without auth never loads it (~45 ms of start-up). */
function loadJose(): Promise<Jose> {
  jose ??= import("jose");
  return jose;
}

/** Checks the key options now; the key (set) itself is built with jose at the first check. */
function keySource(options: JwtVerifierOptions): (lib: Jose) => VerifyKey {
  const sources = [options.jwksUri, options.jwks, options.key].filter((source) => source !== undefined);
  if (sources.length !== 1) throw invalid("give exactly one of jwksUri, jwks or key.");
  if (options.jwksUri !== undefined) {
    let url: URL;
    try {
      url = new URL(options.jwksUri);
    } catch {
      throw invalid(`jwksUri ${quote(String(options.jwksUri))} is not an absolute URL.`);
    }
    const maxAge = options.jwksCacheMaxAgeMs;
    return (lib) => lib.createRemoteJWKSet(url, maxAge === undefined ? {} : { cacheMaxAge: maxAge });
  }
  if (options.jwks !== undefined) {
    const jwks = options.jwks;
    if (!Array.isArray(jwks.keys)) throw invalid("jwks must be a key set: { keys: [...] }.");
    return (lib) => lib.createLocalJWKSet(jwks);
  }
  const key = options.key;
  if (key instanceof Uint8Array) return () => key;
  if (typeof key === "object" && key !== null && typeof (key as JWK).kty === "string") {
    if ((key as JWK).d !== undefined || (key as JWK).k !== undefined) {
      throw invalid("key must be a public JWK (it holds private or secret material).");
    }
    return (lib) => lib.createLocalJWKSet({ keys: [key as JWK] });
  }
  if (typeof key === "object" && key !== null && typeof (key as CryptoKey).type === "string")
    return () => key as CryptoKey;
  throw invalid("key must be a public JWK, a CryptoKey or an HMAC secret (Uint8Array).");
}

/** The scopes a JWT grants: `scope` (space-separated, RFC 9068) or `scp` (Entra, Okta: a list or a string). */
function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === "string") return raw.split(" ").filter((scope) => scope !== "");
  if (Array.isArray(raw)) return raw.filter((scope): scope is string => typeof scope === "string");
  return [];
}

/** The client a JWT was issued to: `client_id` (RFC 9068), else `azp`, `cid` (Okta) or `appid` (Entra v1). */
function clientIdOf(payload: JWTPayload): string | undefined {
  for (const claim of ["client_id", "azp", "cid", "appid"]) {
    const value = payload[claim];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/**
 * A {@link TokenVerifier} for JWT access tokens (RFC 9068), built on `jose`: checks the signature
 * against the issuer's keys (a remote JWKS is cached, and refetched for an unknown `kid`), the
 * algorithm against an explicit list (never `none`), the issuer, the audience (this server's
 * resource), `exp` (required) and `nbf`, and that the token names its subject. A refused token
 * gets a message that says why, never the token. A verified token is remembered until its `exp`,
 * for at most a minute (1024 tokens at most), since clients send the same token on every request.
 *
 * ```ts
 * verifyToken: jwtVerifier({ jwksUri: "https://auth.example.com/.well-known/jwks.json",
 *   issuer: "https://auth.example.com/", audience: "https://api.example.com/mcp" })
 * ```
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for missing or contradictory options.
 */
export function jwtVerifier(options: JwtVerifierOptions): AudienceBoundVerifier {
  if (typeof options !== "object" || options === null) throw invalid("options are required.");
  const issuer = stringList(options.issuer, "issuer");
  const audience = stringList(options.audience, "audience");
  const algorithms = algorithmsFor(options);
  const tolerance = options.clockToleranceSec ?? 5;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw invalid(`clockToleranceSec must be a number of seconds >= 0, got ${quote(tolerance)}.`);
  }
  const makeKey = keySource(options);
  let key: VerifyKey | undefined;
  const verifyOptions = {
    issuer,
    audience,
    algorithms,
    clockTolerance: tolerance,
    requiredClaims: ["exp", "sub"],
  };
  // Token → its AuthInfo and until when that is trusted (the earlier of exp and CACHE_MS).
  const verified = new Map<string, { auth: AuthInfo; until: number }>();
  const verify = async (token: string): Promise<AuthInfo> => {
    const cached = verified.get(token);
    if (cached !== undefined) {
      if (cached.until > Date.now()) return cached.auth;
      verified.delete(token);
    }
    const auth = await check(token);
    if (verified.size >= CACHE_ENTRIES) verified.delete(verified.keys().next().value as string);
    verified.set(token, { auth, until: Math.min((auth.expiresAt as number) * 1000, Date.now() + CACHE_MS) });
    return auth;
  };
  const check = async (token: string): Promise<AuthInfo> => {
    let payload: JWTPayload;
    try {
      const lib = await loadJose();
      key ??= makeKey(lib);
      // One call whatever the key source is; the overloads differ only in the key's type.
      payload = (await lib.jwtVerify(token, key as Uint8Array, verifyOptions)).payload;
    } catch (error) {
      throw tokenRefusal(error) ?? error;
    }
    if (typeof payload.sub !== "string" || payload.sub === "") {
      throw invalidToken("The access token names no subject (sub).");
    }
    return Object.freeze({
      subject: payload.sub,
      clientId: clientIdOf(payload),
      issuer: payload.iss,
      scopes: Object.freeze(scopesOf(payload)),
      expiresAt: payload.exp,
      claims: Object.freeze(payload),
    });
  };
  return Object.assign(verify, { audiences: Object.freeze(audience) });
}
