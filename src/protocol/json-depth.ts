import { InvalidRequestError } from "./protocol-error.js";

/**
 * How deeply objects and arrays may nest in one JSON-RPC message (the message object itself is
 * level 1, `params` level 2, a tool's `arguments` level 3). Deeper messages are refused when they
 * are read, with `-32600` / `message-too-deep`: recursive code downstream (JSON.stringify,
 * schema validators, handlers) would otherwise overflow the stack on a few thousand levels, and
 * the limit of common JSON parsers (serde_json) is the same 128.
 */
export const MAX_MESSAGE_DEPTH = 128;

/**
 * Whether `value` nests objects/arrays more than `limit` levels deep. Iterative, so any depth is
 * measured without recursion; it stops at the first container past the limit.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  const pending: object[] = [value];
  const depths: number[] = [1];
  while (pending.length > 0) {
    const container = pending.pop() as object;
    const depth = depths.pop() as number;
    if (depth > limit) return true;
    const children: unknown[] = Array.isArray(container) ? container : Object.values(container);
    for (const child of children) {
      if (typeof child === "object" && child !== null) {
        pending.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/**
 * Refuses a message that nests deeper than {@link MAX_MESSAGE_DEPTH}.
 * @throws {InvalidRequestError} (-32600, `message-too-deep`).
 */
export function assertMessageDepth(value: unknown): void {
  if (nestsDeeperThan(value, MAX_MESSAGE_DEPTH)) {
    throw new InvalidRequestError(
      `The message nests objects and arrays more than ${MAX_MESSAGE_DEPTH} levels deep: flatten it.`,
      "message-too-deep",
      { limit: MAX_MESSAGE_DEPTH },
    );
  }
}
