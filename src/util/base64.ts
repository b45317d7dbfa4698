const CHUNK = 0x8000;

/** Base64 of `bytes`, with web-standard `btoa` only (works on Node, Deno, Bun and Workers). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** True for binary data a handler may return: a `Uint8Array` (`Buffer` included) or an `ArrayBuffer`. */
export function isBinary(value: unknown): value is Uint8Array | ArrayBuffer {
  return value instanceof Uint8Array || value instanceof ArrayBuffer;
}

/** `value` as bytes, without copying. */
export function asBytes(value: Uint8Array | ArrayBuffer): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(value);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `text` as UTF-8 in base64url without padding (RFC 4648 §5), e.g. for opaque cursors. */
export function toBase64Url(text: string): string {
  return bytesToBase64Url(encoder.encode(text));
}

/** The UTF-8 text that {@link toBase64Url} encoded; undefined when `encoded` is not base64url. */
export function fromBase64Url(encoded: string): string | undefined {
  const bytes = bytesFromBase64Url(encoded);
  return bytes === undefined ? undefined : decoder.decode(bytes);
}

/** `bytes` in base64url without padding (RFC 4648 §5). */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The bytes that {@link bytesToBase64Url} encoded; undefined when `encoded` is not base64url. */
export function bytesFromBase64Url(encoded: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) return undefined;
  const binary = atob(encoded.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The UTF-8 text of standard, padded base64 (RFC 4648 §4); undefined when `encoded` is not that. */
export function fromBase64(encoded: string): string | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(encoded)) return undefined;
  const binary = atob(encoded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return decoder.decode(bytes);
}
