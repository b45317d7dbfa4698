import { toBase64 } from "../../util/base64.js";

/** A PKCE pair (RFC 7636): the verifier stays with the client, the challenge goes to the user's browser. */
export interface Pkce {
  verifier: string;
  /** BASE64URL(SHA-256(verifier)): the `S256` method, the only one MCP allows. */
  challenge: string;
}

function base64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** `bytes` random bytes, base64url: for PKCE verifiers and `state`. */
export function randomToken(bytes = 32): string {
  return base64Url(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A fresh verifier (43 characters from 32 random bytes) and its S256 challenge, with Web Crypto only. */
export async function createPkce(): Promise<Pkce> {
  const verifier = randomToken(32);
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: base64Url(new Uint8Array(digest)) };
}
