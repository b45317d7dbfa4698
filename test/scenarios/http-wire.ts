import { createParser } from "eventsource-parser";
import type { FastestMCP, HttpServerHandle } from "../../src/index.js";
import { BaseWire } from "./base-wire.js";
import type { Id, Message, Wire, WireTransport } from "./wire.js";

const SSE = "text/event-stream";

/**
 * A Streamable HTTP session spoken with plain `fetch`: each message is a POST, a request's answer
 * is read as JSON or to the end of its SSE stream, and the standalone GET stream is open from
 * the handshake on. No reconnection and no retries, so a scenario sees exactly what was sent.
 */
class HttpWire extends BaseWire {
  readonly transport = "http";
  readonly #url: string;
  readonly #abort = new AbortController();
  #sessionId: string | undefined;
  /** Each request's POST, settled once its JSON answer was read, or its SSE stream ended. */
  readonly #exchanges = new Map<Id, Promise<void>>();

  constructor(url: string) {
    super();
    this.#url = url;
  }

  /** Opens the standalone GET stream; resolves once the server accepted it. */
  async openStandalone(): Promise<void> {
    const response = await fetch(this.#url, {
      method: "GET",
      headers: this.#headers({ accept: SSE }),
      signal: this.#abort.signal,
    });
    if (response.status !== 200) throw new Error(`GET stream: HTTP ${response.status}`);
    void this.#read(response).catch(() => undefined);
  }

  protected transmit(message: Message): Promise<void> {
    const exchange = this.#post(message);
    if (message.method === undefined || message.id === undefined || message.id === null) return exchange;
    this.#exchanges.set(
      message.id,
      exchange.catch(() => undefined),
    );
    return Promise.resolve();
  }

  protected async exchangeOver(id: Id): Promise<void> {
    await this.#exchanges.get(id);
  }

  async close(): Promise<void> {
    this.#abort.abort();
    if (this.#sessionId === undefined) return;
    const response = await fetch(this.#url, { method: "DELETE", headers: this.#headers({}) });
    await response.body?.cancel();
  }

  #headers(extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { ...extra };
    if (this.#sessionId !== undefined) {
      headers["mcp-session-id"] = this.#sessionId;
      headers["mcp-protocol-version"] = "2025-11-25";
    }
    return headers;
  }

  async #post(message: Message): Promise<void> {
    const response = await fetch(this.#url, {
      method: "POST",
      headers: this.#headers({ "content-type": "application/json", accept: `application/json, ${SSE}` }),
      body: JSON.stringify(message),
      signal: this.#abort.signal,
    });
    this.#sessionId ??= response.headers.get("mcp-session-id") ?? undefined;
    if (response.status === 202) {
      await response.body?.cancel();
      return;
    }
    if ((response.headers.get("content-type") ?? "").startsWith(SSE)) return this.#read(response);
    // JSON: a result, or a JSON-RPC error (with an HTTP error status, for transport-level refusals).
    this.receive((await response.json()) as Message);
  }

  /** Reads an SSE stream to its end, receiving every message on it. */
  async #read(response: Response): Promise<void> {
    const parser = createParser({
      onEvent: (event) => {
        if (event.data !== "") this.receive(JSON.parse(event.data) as Message);
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
    }
  }
}

/** Sessions over Streamable HTTP on `server.listen()`. */
export function httpTransport(server: FastestMCP): WireTransport {
  let handle: HttpServerHandle | undefined;
  return {
    name: "http",
    start: async () => {
      handle = await server.listen({ keepAliveMs: 0 });
    },
    open: async (): Promise<Wire> => {
      if (handle === undefined) throw new Error("http transport not started");
      const wire = new HttpWire(handle.url);
      await wire.handshake();
      await wire.openStandalone();
      return wire;
    },
    stop: async () => {
      await handle?.close();
    },
  };
}
