import type { AuthInfo } from "../../protocol/auth-info.js";
import { createDeferred } from "../../util/deferred.js";
import { BodyTooLargeError, type HttpExchange } from "./exchange.js";
import { FetchSseWriter } from "./fetch-sse-writer.js";
import type { SseWriter } from "./sse-writer.js";
import type { StreamableHttpTransport } from "./streamable-http.js";

// Stateless decodes only (whole bodies), so one decoder serves every request. `ignoreBOM` keeps a
// leading BOM in the text, as the node:http front does: such a body is malformed JSON on both.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** The bytes of `chunks` (`size` in all) as one array; the only chunk itself when there is one. */
function joinChunks(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

/** A web-standard `Request` as an {@link HttpExchange}; the answer is a web `Response`. */
class FetchExchange implements HttpExchange {
  readonly method: string;
  readonly path: string;
  readonly response = createDeferred<Response>();
  auth: AuthInfo | undefined = undefined;
  readonly #request: Request;
  readonly #url: URL;

  constructor(request: Request) {
    this.#request = request;
    this.method = request.method;
    this.#url = new URL(request.url);
    this.path = this.#url.pathname;
  }

  get search(): string {
    return this.#url.search;
  }

  header(name: string): string | undefined {
    // A Request made in-process may have no Host header: its URL names the host it was sent to.
    return this.#request.headers.get(name) ?? (name === "host" ? this.#url.host : undefined);
  }

  async readBody(limit: number): Promise<string> {
    const declared = Number(this.#request.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
    if (this.#request.body === null) return "";
    const reader = this.#request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw new BodyTooLargeError(limit);
      }
      chunks.push(value);
    }
    return chunks.length === 0 ? "" : utf8.decode(joinChunks(chunks, size));
  }

  respond(status: number, headers: Record<string, string>, body?: string): void {
    const nullBody = status === 204 || status === 202;
    this.response.resolve(new Response(nullBody ? null : (body ?? ""), { status, headers }));
  }

  onClose(callback: () => void): void {
    // The runtime aborts a request's signal when its client disconnects.
    const signal = this.#request.signal;
    if (signal?.aborted === true) callback();
    else signal?.addEventListener("abort", callback, { once: true });
  }

  startSse(headers: Record<string, string>): SseWriter {
    const writer = new FetchSseWriter();
    this.response.resolve(new Response(writer.body, { status: 200, headers }));
    return writer;
  }
}

/**
 * A web-standard handler (`(request) => Response`) for Hono, Bun, Deno, Workers and Node's own
 * fetch servers. It and everything it reaches use web-standard APIs only (test/architecture.test.ts
 * checks); test/runtimes/ serves it from Bun and Deno.
 */
export function createFetchHandler(
  transport: StreamableHttpTransport,
): (request: Request) => Promise<Response> {
  return (request) => {
    const exchange = new FetchExchange(request);
    void transport.handle(exchange);
    return exchange.response.promise;
  };
}
