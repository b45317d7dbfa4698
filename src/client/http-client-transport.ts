import { createParser } from "eventsource-parser";
import { isObject } from "../protocol/is-object.js";
import {
  errorResponse,
  isResponse,
  type JsonRpcId,
  type JsonRpcMessage,
  toJsonRpcMessage,
} from "../protocol/jsonrpc.js";
import { isProtocolError, type JsonRpcErrorObject, ProtocolError } from "../protocol/protocol-error.js";
import type { ClientTransport, ClientTransportEvents, SendOptions } from "./client-transport.js";
import { statelessHeaders } from "./revision/stateless-headers.js";

/** Options of the Streamable HTTP client transport. */
export interface HttpClientTransportOptions {
  /** Extra headers on every request (e.g. `authorization`). */
  headers?: Record<string, string>;
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
  /** Reconnection attempts for a dropped SSE stream (default 5). */
  maxReconnects?: number;
  /** Delay before reconnecting when the server suggested none, in ms (default 1000). */
  reconnectDelayMs?: number;
}

const JSON_TYPE = "application/json";
const SSE_TYPE = "text/event-stream";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The client side of MCP Streamable HTTP, on `fetch` only (runs in Node, browsers, Deno, Bun,
 * Workers): POSTs each message, reads JSON or SSE answers, keeps the GET stream open for
 * server-initiated messages, and resumes dropped streams with `Last-Event-ID` after the delay
 * the server asked for, so no event is lost or seen twice.
 */
export class StreamableHttpClientTransport implements ClientTransport {
  readonly url: URL;
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;
  #events: ClientTransportEvents | undefined;
  readonly #abort = new AbortController();
  readonly #fetch: typeof fetch;
  readonly #headers: Record<string, string>;
  readonly #maxReconnects: number;
  readonly #reconnectDelayMs: number;
  /** The stateless revision spoken (2026-07-28), if any: no session, per-request headers. */
  #stateless: string | undefined;
  /** Stateless requests in flight, each with its own abort: cancelling one closes its response. */
  readonly #inflight = new Map<JsonRpcId, AbortController>();

  constructor(url: string | URL, options: HttpClientTransportOptions = {}) {
    this.url = new URL(url);
    this.#fetch = options.fetch ?? fetch;
    this.#headers = options.headers ?? {};
    this.#maxReconnects = options.maxReconnects ?? 5;
    this.#reconnectDelayMs = options.reconnectDelayMs ?? 1000;
  }

  /** The server-issued session id, once initialized. */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  async start(events: ClientTransportEvents): Promise<void> {
    this.#events = events;
  }

  /**
   * POSTs one message. Answers on an SSE stream arrive later through `onMessage`.
   * @throws {ProtocolError} `connection-failed` when the server cannot be reached, the server's
   * own error (with the HTTP `status` added to `data`) or `http-error` for an HTTP error status,
   * and `malformed-response` for an answer that is not JSON-RPC.
   */
  async send(message: JsonRpcMessage, options?: SendOptions): Promise<void> {
    const requestId = "method" in message && "id" in message ? message.id : undefined;
    let response: Response;
    let signal = this.#abort.signal;
    let headers = this.#requestHeaders({ "content-type": JSON_TYPE, accept: `${JSON_TYPE}, ${SSE_TYPE}` });
    if (this.#stateless !== undefined) {
      headers = { ...headers, ...options?.headers, ...statelessHeaders(message, this.#stateless) };
      if (requestId !== undefined) {
        const own = new AbortController();
        this.#inflight.set(requestId, own);
        signal = AbortSignal.any([signal, own.signal]);
      }
    }
    try {
      response = await this.#fetch(this.url, {
        method: "POST",
        headers,
        body: JSON.stringify(message),
        signal,
      });
    } catch (error) {
      if (requestId !== undefined) this.#inflight.delete(requestId);
      // An OAuth `fetch` (the `auth` option) fails with its own reason: keep it.
      if (isProtocolError(error)) throw error;
      throw new ProtocolError(
        "connection-failed",
        `Could not reach the MCP server at ${this.url.href}: ${(error as Error).message}`,
        { url: this.url.href },
        { cause: error },
      );
    }
    const sessionId = response.headers.get("mcp-session-id");
    if (sessionId !== null) this.#sessionId = sessionId;
    if (response.status === 202) {
      if (requestId !== undefined) this.#inflight.delete(requestId);
      await response.body?.cancel();
      return;
    }
    const type = response.headers.get("content-type") ?? "";
    // Only a stream can still be cancelled by closing it: a JSON answer is read whole below.
    if (requestId !== undefined && !type.includes(SSE_TYPE)) this.#inflight.delete(requestId);
    if (!response.ok) throw ProtocolError.fromJSON(await this.#httpError(response));
    if (requestId === undefined) {
      // A notification or a response has no answer: the spec wants 202 without a body, but
      // some servers (the official suite's, older SDKs) answer 200 with `{"jsonrpc":"2.0","result":{}}`
      // or an empty JSON body. Nothing in it is addressed to us, so it is read past, not parsed.
      await response.body?.cancel();
      return;
    }
    if (type.includes(SSE_TYPE)) {
      void this.#readStream(response, requestId, 0);
      return;
    }
    if (type.includes(JSON_TYPE)) {
      for (const item of await this.#jsonMessages(response)) this.#deliver(item);
      return;
    }
    await response.body?.cancel();
    throw new ProtocolError(
      "malformed-response",
      `Unexpected content type ${JSON.stringify(type)} from the server: expected JSON or an SSE stream.`,
      { contentType: type },
    );
  }

  useStatelessRevision(protocolVersion: string | undefined): void {
    this.#stateless = protocolVersion;
  }

  cancel(requestId: JsonRpcId): boolean {
    const request = this.#inflight.get(requestId);
    if (request === undefined) return false;
    this.#inflight.delete(requestId);
    request.abort();
    return true;
  }

  async initialized(protocolVersion: string): Promise<void> {
    this.#protocolVersion = protocolVersion;
    void this.#openStandalone(undefined, 0);
  }

  async close(): Promise<void> {
    if (this.#abort.signal.aborted) return;
    this.#abort.abort();
    if (this.#sessionId === undefined) return;
    try {
      const response = await this.#fetch(this.url, { method: "DELETE", headers: this.#requestHeaders({}) });
      await response.body?.cancel();
    } catch {
      // The server is gone already; the session dies with it.
    }
  }

  #requestHeaders(extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { ...this.#headers, ...extra };
    if (this.#sessionId !== undefined) headers["mcp-session-id"] = this.#sessionId;
    if (this.#protocolVersion !== undefined) headers["mcp-protocol-version"] = this.#protocolVersion;
    return headers;
  }

  /** The messages of a JSON answer (one message, or a batch from an older server). */
  async #jsonMessages(response: Response): Promise<JsonRpcMessage[]> {
    const text = await response.text();
    try {
      const body = JSON.parse(text) as unknown;
      return (Array.isArray(body) ? body : [body]).map(toJsonRpcMessage);
    } catch (error) {
      throw new ProtocolError(
        "malformed-response",
        `The server's JSON answer is not a JSON-RPC message: ${(error as Error).message}`,
        { body: text.slice(0, 200) },
        { cause: error },
      );
    }
  }

  /** The server's JSON-RPC error in an HTTP error answer, with the `status`; or `http-error`. */
  async #httpError(response: Response): Promise<JsonRpcErrorObject> {
    const { status } = response;
    const text = await response.text().catch(() => "");
    try {
      const parsed = JSON.parse(text) as { error?: JsonRpcErrorObject };
      const error = parsed.error;
      if (error !== undefined && typeof error.code === "number") {
        if (error.data !== undefined && !isObject(error.data)) return error;
        return { ...error, data: { ...error.data, status } };
      }
    } catch {
      // Not JSON-RPC: describe the HTTP failure instead.
    }
    const message = `HTTP ${status}: ${text.slice(0, 200) || response.statusText}`;
    return new ProtocolError("http-error", message, { status }).toJSON();
  }

  async #openStandalone(lastEventId: string | undefined, attempt: number): Promise<void> {
    if (this.#abort.signal.aborted) return;
    let response: Response;
    try {
      const headers = this.#requestHeaders({ accept: SSE_TYPE });
      if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
      response = await this.#fetch(this.url, { method: "GET", headers, signal: this.#abort.signal });
    } catch (error) {
      // An authorization that failed is not retried: each retry would ask the user again.
      if (isProtocolError(error)) return;
      return this.#retryStandalone(lastEventId, attempt, this.#reconnectDelayMs);
    }
    // 405: the server offers no GET stream, which MCP allows.
    if (!response.ok || !(response.headers.get("content-type") ?? "").includes(SSE_TYPE)) {
      await response.body?.cancel();
      return;
    }
    await this.#readStream(response, undefined, attempt, lastEventId);
  }

  async #retryStandalone(lastEventId: string | undefined, attempt: number, delay: number): Promise<void> {
    if (this.#abort.signal.aborted || attempt >= this.#maxReconnects) return;
    await sleep(delay, this.#abort.signal);
    await this.#openStandalone(lastEventId, attempt + 1);
  }

  /**
   * Reads one SSE stream to its end. A request's stream that ends before its response (or the
   * standalone stream, whenever it drops) is resumed with `Last-Event-ID`.
   */
  async #readStream(
    response: Response,
    requestId: JsonRpcId | undefined,
    attempt: number,
    resumedFrom?: string,
  ): Promise<void> {
    let lastEventId = resumedFrom;
    let retryMs = this.#reconnectDelayMs;
    let answered = false;
    const parser = createParser({
      onEvent: (event) => {
        if (event.id !== undefined) lastEventId = event.id;
        if (event.data === "") return;
        let message: JsonRpcMessage;
        try {
          message = toJsonRpcMessage(JSON.parse(event.data));
        } catch (error) {
          // The request's answer may have been this event: fail the request now rather than at
          // its timeout. On the standalone stream there is no request to fail, so it is skipped.
          if (requestId === undefined || answered) return;
          answered = true;
          const why = `The server sent an SSE event that is not a JSON-RPC message: ${(error as Error).message}`;
          const malformed = new ProtocolError("malformed-response", why, { event: event.data.slice(0, 200) });
          this.#deliver(errorResponse(requestId, malformed.toJSON()));
          return;
        }
        if (requestId !== undefined && isResponse(message) && message.id === requestId) answered = true;
        this.#deliver(message);
      },
      onRetry: (ms) => {
        retryMs = ms;
      },
    });
    const decoder = new TextDecoder();
    try {
      if (response.body === null) throw new Error("empty SSE body");
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(chunk, { stream: true }));
        attempt = 0;
      }
    } catch {
      // Dropped connection: handled below like an early end.
    }
    if (this.#abort.signal.aborted || answered) return;
    if (requestId === undefined) return this.#retryStandalone(lastEventId, attempt, retryMs);
    // Cancelled by the client (a stateless request's connection closed on purpose): nothing to report.
    if (this.#stateless !== undefined && !this.#inflight.has(requestId)) return;
    // A stateless request's stream cannot be resumed: there is no session to resume it on.
    if (lastEventId === undefined || attempt >= this.#maxReconnects || this.#stateless !== undefined) {
      const message = "The server closed the stream before answering, and it cannot be resumed.";
      this.#deliver(errorResponse(requestId, new ProtocolError("stream-lost", message).toJSON()));
      return;
    }
    await sleep(retryMs, this.#abort.signal);
    await this.#resume(requestId, lastEventId, attempt + 1);
  }

  async #resume(requestId: JsonRpcId, lastEventId: string, attempt: number): Promise<void> {
    if (this.#abort.signal.aborted) return;
    try {
      const response = await this.#fetch(this.url, {
        method: "GET",
        headers: this.#requestHeaders({ accept: SSE_TYPE, "last-event-id": lastEventId }),
        signal: this.#abort.signal,
      });
      if (response.ok && (response.headers.get("content-type") ?? "").includes(SSE_TYPE)) {
        await this.#readStream(response, requestId, attempt, lastEventId);
        return;
      }
      await response.body?.cancel();
    } catch {
      // Fall through to the failure below.
    }
    if (this.#abort.signal.aborted) return;
    const message = "The stream for this request was lost and could not be resumed.";
    this.#deliver(errorResponse(requestId, new ProtocolError("stream-lost", message).toJSON()));
  }

  #deliver(message: JsonRpcMessage): void {
    if (this.#inflight.size > 0 && isResponse(message) && message.id !== null)
      this.#inflight.delete(message.id);
    this.#events?.onMessage(message);
  }
}
