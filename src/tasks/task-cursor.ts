import { InvalidParamsError } from "../protocol/protocol-error.js";
import { quote } from "../protocol/quote.js";

const PREFIX = "t1:";

/** An opaque pagination cursor for the position after the task with creation number `seq`. */
export function encodeTaskCursor(seq: number): string {
  return Buffer.from(`${PREFIX}${seq}`, "utf8").toString("base64url");
}

/**
 * The creation number a cursor points after.
 * @throws {InvalidParamsError} reason `invalid-cursor` for anything {@link encodeTaskCursor} did not make.
 */
export function decodeTaskCursor(cursor: string): number {
  const text = typeof cursor === "string" ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  const seq = text.startsWith(PREFIX) ? Number(text.slice(PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new InvalidParamsError(
      `Invalid cursor ${quote(cursor)}: pass the nextCursor of a previous tasks/list answer unchanged.`,
      "invalid-cursor",
    );
  }
  return seq;
}
