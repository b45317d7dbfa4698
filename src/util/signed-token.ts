import { bytesFromBase64Url, bytesToBase64Url, fromBase64Url, toBase64Url } from "./base64.js";

/** Web Crypto's key type, named without the DOM library. */
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** Bytes of an HMAC-SHA256 tag. */
const TAG_BYTES = 32;
/** Bytes of the random key a signer without a secret makes for itself. */
const RANDOM_KEY_BYTES = 32;

/**
 * Signs JSON payloads into opaque tokens and checks them back: `base64url(json).base64url(tag)`,
 * the tag an HMAC-SHA256 of the first part. Web Crypto only (`crypto.subtle`), so it runs on
 * Node 20, Bun, Deno and Workers alike. Signed, not encrypted: whoever holds a token can read it.
 */
export class TokenSigner {
  readonly #secret: string | Uint8Array | undefined;
  /** Imported on first use: a server that never signs pays nothing. */
  #imported: Promise<HmacKey> | undefined;

  /**
   * `secret`: the key material (a string is taken as UTF-8). Without one, a random key lives as
   * long as this signer: tokens from another process (or another instance behind a load balancer)
   * then fail their check.
   */
  constructor(secret?: string | Uint8Array) {
    this.#secret = secret;
  }

  #key(): Promise<HmacKey> {
    if (this.#imported === undefined) {
      const secret = this.#secret;
      const raw =
        secret === undefined
          ? crypto.getRandomValues(new Uint8Array(RANDOM_KEY_BYTES))
          : typeof secret === "string"
            ? new TextEncoder().encode(secret)
            : secret;
      this.#imported = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
        "sign",
        "verify",
      ]);
    }
    return this.#imported;
  }

  /** `payload` as a signed token. */
  async sign(payload: unknown): Promise<string> {
    const body = toBase64Url(JSON.stringify(payload));
    const tag = await crypto.subtle.sign("HMAC", await this.#key(), new TextEncoder().encode(body));
    return `${body}.${bytesToBase64Url(new Uint8Array(tag))}`;
  }

  /**
   * The payload of a token this signer (or one with the same secret) made; `undefined` when the
   * token is malformed or its tag does not check out (tampered with, or signed with another key).
   */
  async verify(token: string): Promise<unknown> {
    const dot = token.indexOf(".");
    if (dot <= 0 || dot !== token.lastIndexOf(".")) return undefined;
    const body = token.slice(0, dot);
    const tag = bytesFromBase64Url(token.slice(dot + 1));
    // A tag of another length, or one whose text is not the canonical encoding of its bytes, is not ours.
    if (tag === undefined || tag.length !== TAG_BYTES || bytesToBase64Url(tag) !== token.slice(dot + 1))
      return undefined;
    // crypto.subtle.verify compares in constant time.
    const intact = await crypto.subtle.verify("HMAC", await this.#key(), tag, new TextEncoder().encode(body));
    if (!intact) return undefined;
    const json = fromBase64Url(body);
    if (json === undefined) return undefined;
    try {
      return JSON.parse(json) as unknown;
    } catch {
      return undefined;
    }
  }
}

/** SHA-256 of `text` (UTF-8), in base64url. */
export async function sha256Base64Url(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return bytesToBase64Url(new Uint8Array(digest));
}
