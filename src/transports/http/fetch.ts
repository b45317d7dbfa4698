import { createDeferred } from "../../util/deferred.js";
import { BodyTooLargeError, type HttpExchange } from "./exchange.js";
import type { SseWriter } from "./sse-writer.js";
import type { StreamableHttpTransport } from "./streamable-http.js";

const encoder = new TextEncoder();

/**
 * Characters of SSE text gathered before they are enqueued: big enough that a burst of small
 * events makes a few chunks, small enough to stay a regular (young-generation) string.
 */
const PENDING_LIMIT = 32 * 1024;

/** Runs `flush` once the current task and its microtasks are done (setImmediate where it exists). */
const afterTask: (flush: () => void) => void =
  typeof setImmediate === "function" ? (flush) => setImmediate(flush) : (flush) => setTimeout(flush, 0);

/** A web-standard `Request` as an {@link HttpExchange}; the answer is a web `Response`. */
class FetchExchange implements HttpExchange {
  readonly method: string;
  readonly path: string;
  readonly response = createDeferred<Response>();
  readonly #request: Request;

  constructor(request: Request) {
    this.#request = request;
    this.method = request.method;
    this.path = new URL(request.url).pathname;
  }

  header(name: string): string | undefined {
    return this.#request.headers.get(name) ?? undefined;
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
    return Buffer.concat(chunks).toString("utf8");
  }

  respond(status: number, headers: Record<string, string>, body?: string): void {
    const nullBody = status === 204 || status === 202;
    this.response.resolve(new Response(nullBody ? null : (body ?? ""), { status, headers }));
  }

  startSse(headers: Record<string, string>): SseWriter {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let open = true;
    const closeCallbacks: Array<() => void> = [];
    const closed = (): void => {
      if (!open) return;
      open = false;
      for (const callback of closeCallbacks.splice(0)) callback();
    };
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      cancel: closed,
    });
    this.response.resolve(new Response(body, { status: 200, headers }));
    // Text written in one task (priming event, a burst of progress, the response) leaves as one
    // chunk after it, not one encoded chunk per event: a reader gets a few reads, not thousands.
    let pending = "";
    let scheduled = false;
    const enqueuePending = (): void => {
      const chunk = pending;
      pending = "";
      if (chunk !== "") controller.enqueue(encoder.encode(chunk));
    };
    const flush = (): void => {
      scheduled = false;
      if (open) enqueuePending();
    };
    return {
      write: (chunk) => {
        if (!open) return false;
        pending += chunk;
        if (pending.length >= PENDING_LIMIT) enqueuePending();
        else if (!scheduled) {
          scheduled = true;
          afterTask(flush);
        }
        return true;
      },
      end: () => {
        if (!open) return;
        enqueuePending();
        controller.close();
        closed();
      },
      onClose: (callback) => {
        if (open) closeCallbacks.push(callback);
        else callback();
      },
    };
  }
}

/** A web-standard handler (`(request) => Response`) for Hono, Bun, Deno, Workers and Node's own fetch servers. */
export function createFetchHandler(
  transport: StreamableHttpTransport,
): (request: Request) => Promise<Response> {
  return (request) => {
    const exchange = new FetchExchange(request);
    void transport.handle(exchange);
    return exchange.response.promise;
  };
}
