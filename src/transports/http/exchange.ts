import type { AuthInfo } from "../../protocol/auth-info.js";
import type { SseWriter } from "./sse-writer.js";

/**
 * One HTTP request/response as the Streamable HTTP state machine sees it. The node:http and
 * fetch fronts each implement it in a few lines, so the protocol logic exists once.
 */
export interface HttpExchange {
  readonly method: string;
  /** The request path without the query string. */
  readonly path: string;
  /**
   * The query string (`?…`, or `""`), read only when the server has `auth` (a token there is
   * refused). A front that omits it is taken to have none.
   */
  readonly search?: string;
  /** The peer's IP address, when the front knows it (the dashboard serves loopback peers only by default). */
  readonly remoteAddress?: string | undefined;
  /** The identity the transport verified for this request (set by it when the server has `auth`). */
  auth?: AuthInfo | undefined;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /**
   * The request body as text.
   * @throws {BodyTooLargeError} past `limit` bytes (the rest is not read).
   */
  readBody(limit: number): Promise<string>;
  /** Sends a complete response. */
  respond(status: number, headers: Record<string, string>, body?: string): void;
  /** Starts an SSE response (status 200) and returns its writer. */
  startSse(headers: Record<string, string>): SseWriter;
  /**
   * Registers a callback for when the client goes away before the response is complete (called
   * at most once; at once when it has gone already). A front without it never reports that: a
   * stateless request then runs to its end.
   */
  onClose?(callback: () => void): void;
}

/** Thrown by `readBody` when the body exceeds the limit. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`The request body exceeds the limit of ${limit} bytes.`);
  }
}
