import { isObject } from "../../protocol/is-object.js";
import { InternalError } from "../../protocol/protocol-error.js";
import type { ReadResourceResult, ResourceContents } from "../../protocol/resource-types.js";
import { asBytes, isBinary, toBase64 } from "../../util/base64.js";

/** A plain object: not binary data (an object too, but a resource's bytes). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return isObject(value) && !isBinary(value);
}

function invalid(uri: string, detail: string): InternalError {
  return new InternalError(
    `The handler of resource "${uri}" returned ${detail}.`,
    "resource-content-invalid",
    {
      uri,
    },
  );
}

function contentsItem(item: unknown, uri: string, mimeType: string | undefined): ResourceContents {
  if (!isPlainObject(item)) throw invalid(uri, "a contents item that is not an object");
  const itemUri = item.uri ?? uri;
  const itemMime = item.mimeType ?? mimeType;
  if (typeof itemUri !== "string") throw invalid(uri, "a contents item whose uri is not a string");
  if (itemMime !== undefined && typeof itemMime !== "string") {
    throw invalid(uri, "a contents item whose mimeType is not a string");
  }
  let contents: ResourceContents;
  if (typeof item.text === "string") contents = { uri: itemUri, text: item.text };
  else if (typeof item.blob === "string") contents = { uri: itemUri, blob: item.blob };
  else if (isBinary(item.blob)) contents = { uri: itemUri, blob: toBase64(asBytes(item.blob)) };
  else throw invalid(uri, 'a contents item without "text" (a string) or "blob" (bytes or base64)');
  if (itemMime !== undefined) contents.mimeType = itemMime;
  if (item._meta !== undefined) contents._meta = item._meta as Record<string, unknown>;
  return contents;
}

/**
 * Maps a resource handler's value to a `ReadResourceResult`: a string → one `text` item; bytes
 * (`Uint8Array`, `Buffer`, `ArrayBuffer`) → one `blob` item (base64); a contents item or an array
 * of them → those items; `{ contents: [...] }` → that result. Items without `uri` or `mimeType`
 * get the resource's.
 * @throws {InternalError} (-32603, `resource-content-invalid`) for anything else.
 */
export function toReadResourceResult(
  value: unknown,
  uri: string,
  mimeType: string | undefined,
): ReadResourceResult {
  if (typeof value === "string") {
    return { contents: [mimeType === undefined ? { uri, text: value } : { uri, mimeType, text: value }] };
  }
  if (isBinary(value)) {
    const blob = toBase64(asBytes(value));
    return { contents: [mimeType === undefined ? { uri, blob } : { uri, mimeType, blob }] };
  }
  if (Array.isArray(value)) return { contents: value.map((item) => contentsItem(item, uri, mimeType)) };
  if (isPlainObject(value) && Array.isArray(value.contents)) {
    const result: ReadResourceResult = {
      contents: value.contents.map((item) => contentsItem(item, uri, mimeType)),
    };
    if (value._meta !== undefined) result._meta = value._meta as Record<string, unknown>;
    return result;
  }
  if (isPlainObject(value)) return { contents: [contentsItem(value, uri, mimeType)] };
  throw invalid(
    uri,
    `${value === null ? "null" : typeof value}: return text, bytes, or contents items ({ uri?, mimeType?, text | blob })`,
  );
}
