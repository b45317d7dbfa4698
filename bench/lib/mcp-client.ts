/**
 * The one minimal MCP client every scenario uses against every target (fetch + the
 * `eventsource-parser` the real client uses), so client cost is identical for all of them. It speaks just enough Streamable HTTP: initialize,
 * notifications, and requests answered as JSON or as an SSE stream carrying notifications first.
 */
import { createParser } from "eventsource-parser";

export const PROTOCOL_VERSION = "2025-11-25";
export const ACCEPT = "application/json, text/event-stream";
/** Upper bound of a client's life: every request it sends is aborted after this. */
const CLIENT_TIMEOUT_MS = 180_000;

interface JsonRpcMessage {
  jsonrpc: "2.0";
  id?: string | number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/** The outcome of one request: its result and how many notifications came with it. */
export interface RequestOutcome {
  result: Record<string, unknown>;
  notifications: number;
}

export class McpHttpClient {
  readonly url: string;
  sessionId: string | undefined;
  #nextId = 0;
  // One timeout signal per client, not per request: keeps the client's own cost low and equal for all.
  readonly #signal = AbortSignal.timeout(CLIENT_TIMEOUT_MS);

  constructor(url: string) {
    this.url = url;
  }

  /** The headers of every post-initialize request (session, protocol version, content negotiation). */
  headers(): Record<string, string> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: ACCEPT,
      "mcp-protocol-version": PROTOCOL_VERSION,
    };
    if (this.sessionId !== undefined) headers["mcp-session-id"] = this.sessionId;
    return headers;
  }

  /** Runs the handshake: `initialize`, then `notifications/initialized`. */
  async initialize(): Promise<void> {
    await this.request("initialize", {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: "fastestmcp-bench", version: "1.0.0" },
    });
    if (this.sessionId === undefined) throw new Error("initialize returned no Mcp-Session-Id");
    await this.notify("notifications/initialized");
  }

  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    const response = await this.#post({ jsonrpc: "2.0", method, ...(params && { params }) });
    await response.body?.cancel();
    if (response.status !== 202) throw new Error(`${method}: HTTP ${response.status}`);
  }

  /**
   * Sends a request and resolves with its result. Notifications arriving on its SSE stream go to
   * `onNotification` (and are counted) before the result.
   */
  async request(
    method: string,
    params: Record<string, unknown>,
    onNotification?: (message: JsonRpcMessage) => void,
  ): Promise<RequestOutcome> {
    const id = ++this.#nextId;
    const response = await this.#post({ jsonrpc: "2.0", id, method, params });
    if (!response.ok) throw new Error(`${method}: HTTP ${response.status} ${await response.text()}`);
    this.sessionId ??= response.headers.get("mcp-session-id") ?? undefined;
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("text/event-stream"))
      return { result: settle((await response.json()) as JsonRpcMessage), notifications: 0 };

    let notifications = 0;
    let answer: JsonRpcMessage | undefined;
    const parser = createParser({
      onEvent: ({ data }) => {
        if (data === "") return; // a priming event
        const message = JSON.parse(data) as JsonRpcMessage;
        if (message.id === id && message.method === undefined) answer = message;
        else if (message.method !== undefined) {
          notifications++;
          onNotification?.(message);
        }
      },
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    while (answer === undefined) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    await reader.cancel();
    if (answer === undefined) throw new Error(`${method}: the SSE stream ended without a response`);
    return { result: settle(answer), notifications };
  }

  #post(message: JsonRpcMessage): Promise<Response> {
    return fetch(this.url, {
      method: "POST",
      headers: this.headers(),
      body: JSON.stringify(message),
      signal: this.#signal,
    });
  }
}

function settle(message: JsonRpcMessage): Record<string, unknown> {
  if (message.error !== undefined)
    throw new Error(`JSON-RPC error ${message.error.code}: ${message.error.message}`);
  if (message.result === undefined) throw new Error("response without result");
  return message.result;
}

/** The text of a tool result's first content block. */
export function resultText(result: Record<string, unknown>): string | undefined {
  const content = result.content as Array<{ type: string; text?: string }> | undefined;
  return content?.[0]?.text;
}
