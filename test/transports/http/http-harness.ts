import type { FastestMCP, HttpServerHandle, ListenOptions } from "../../../src/fastestmcp.js";

/** A server listening on a random loopback port, plus raw-HTTP helpers speaking MCP. */
export class HttpHarness {
  sessionId: string | undefined;
  protocolVersion = "2025-11-25";
  #nextId = 0;

  private constructor(
    readonly server: FastestMCP,
    readonly handle: HttpServerHandle,
  ) {}

  static async start(server: FastestMCP, options: ListenOptions = {}): Promise<HttpHarness> {
    return new HttpHarness(server, await server.listen({ keepAliveMs: 0, ...options }));
  }

  get url(): string {
    return this.handle.url;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": this.protocolVersion,
      ...extra,
    };
    if (this.sessionId !== undefined) headers["mcp-session-id"] = this.sessionId;
    return headers;
  }

  post(body: unknown, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
    return fetch(this.url, {
      method: "POST",
      headers: this.headers(headers),
      body: typeof body === "string" ? body : JSON.stringify(body),
      ...init,
    });
  }

  request(method: string, params?: Record<string, unknown>, id: string | number = ++this.#nextId) {
    return { jsonrpc: "2.0", id, method, ...(params ? { params } : {}) };
  }

  async initialize(): Promise<Record<string, unknown>> {
    const response = await this.post(
      this.request("initialize", {
        protocolVersion: this.protocolVersion,
        capabilities: {},
        clientInfo: { name: "raw-test", version: "1.0.0" },
      }),
    );
    if (response.status !== 200) throw new Error(`initialize: ${response.status} ${await response.text()}`);
    this.sessionId = response.headers.get("mcp-session-id") ?? undefined;
    const body = (await response.json()) as Record<string, unknown>;
    const initialized = await this.post({ jsonrpc: "2.0", method: "notifications/initialized" });
    if (initialized.status !== 202) throw new Error(`initialized: ${initialized.status}`);
    return body;
  }

  openGet(headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    const { "content-type": _ct, ...rest } = this.headers({ accept: "text/event-stream", ...headers });
    return fetch(this.url, { method: "GET", headers: rest, ...(signal ? { signal } : {}) });
  }

  async close(): Promise<void> {
    await this.handle.close();
    await this.server.close();
  }
}
