import { InvalidParamsError } from "../protocol/protocol-error.js";
import { quote } from "../protocol/quote.js";
import { fromBase64Url, toBase64Url } from "../util/base64.js";

const PREFIX = "t1:";

/** An opaque pagination cursor for the position after the task with creation number `seq`. */
export function encodeTaskCursor(seq: number): string {
  return toBase64Url(`${PREFIX}${seq}`);
}

/**
 * The creation number a cursor points after.
 * @throws {InvalidParamsError} reason `invalid-cursor` for anything {@link encodeTaskCursor} did not make.
 */
export function decodeTaskCursor(cursor: string): number {
  const text = (typeof cursor === "string" ? fromBase64Url(cursor) : undefined) ?? "";
  const seq = text.startsWith(PREFIX) ? Number(text.slice(PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new InvalidParamsError(
      `Invalid cursor ${quote(cursor)}: pass the nextCursor of a previous tasks/list answer unchanged.`,
      "invalid-cursor",
    );
  }
  return seq;
}
