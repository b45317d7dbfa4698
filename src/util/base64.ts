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
