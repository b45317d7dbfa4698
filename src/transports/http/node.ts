import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthInfo } from "../../protocol/auth-info.js";
import { MAX_MESSAGE_DEPTH, nestsDeeperThan } from "../../protocol/json-depth.js";
import { readableId } from "../../protocol/jsonrpc.js";
import { BodyTooLargeError, type HttpExchange } from "./exchange.js";
import { NodeSseWriter } from "./node-sse-writer.js";
import type { SseWriter } from "./sse-writer.js";
import type { StreamableHttpTransport } from "./streamable-http.js";

/**
 * The text a pre-parsed body too deep to serialise is read as: its id, and params one level past
 * the limit, so the transport's parser refuses it (and answers that id) exactly as it refuses the
 * same body sent as text.
 */
function tooDeepBody(parsed: unknown): string {
  const brackets = MAX_MESSAGE_DEPTH;
  return `{"jsonrpc":"2.0","id":${JSON.stringify(readableId(parsed))},"method":"","params":${"[".repeat(brackets)}${"]".repeat(brackets)}}`;
}

/** A node:http request/response pair as an {@link HttpExchange}; no web `Request` is allocated. */
class NodeExchange implements HttpExchange {
  readonly method: string;
  readonly path: string;
  auth: AuthInfo | undefined = undefined;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.#req = req;
    this.#res = res;
    this.method = req.method ?? "GET";
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    this.path = query === -1 ? url : url.slice(0, query);
  }

  get remoteAddress(): string | undefined {
    return this.#req.socket.remoteAddress;
  }

  get search(): string {
    const url = this.#req.url ?? "";
    const query = url.indexOf("?");
    return query === -1 ? "" : url.slice(query);
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  readBody(limit: number): Promise<string> {
    // Frameworks such as Express may have parsed the body already.
    const parsed = (this.#req as IncomingMessage & { body?: unknown }).body;
    if (parsed !== undefined && typeof parsed === "object" && parsed !== null && !Buffer.isBuffer(parsed)) {
      // Refused before JSON.stringify, which would overflow the stack on a deep enough body.
      if (nestsDeeperThan(parsed, MAX_MESSAGE_DEPTH)) return Promise.resolve(tooDeepBody(parsed));
      return Promise.resolve(JSON.stringify(parsed));
    }
    const declared = Number(this.#req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError(limit));
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size > limit) {
          this.#req.off("data", onData);
          this.#req.resume();
          reject(new BodyTooLargeError(limit));
          return;
        }
        chunks.push(chunk);
      };
      this.#req.on("data", onData);
      this.#req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      this.#req.once("error", reject);
    });
  }

  respond(status: number, headers: Record<string, string>, body?: string): void {
    if (this.#res.headersSent) return;
    this.#res.writeHead(status, headers);
    this.#res.end(body);
  }

  startSse(headers: Record<string, string>): SseWriter {
    return new NodeSseWriter(this.#res, headers);
  }

  onClose(callback: () => void): void {
    const res = this.#res;
    if (res.writableFinished) return;
    // Gone before anyone listened: its 'close' was emitted already.
    if (res.destroyed) {
      callback();
      return;
    }
    // 'close' also follows a complete response: only one that did not finish is the client leaving.
    res.once("close", () => {
      if (!res.writableFinished) callback();
    });
  }
}

/**
 * A node:http request listener serving the MCP endpoint (or anything that serves exchanges, such
 * as the dashboard in front of it): use with `http.createServer`, or as Express/Fastify
 * middleware (`app.all("/mcp", handler)`; a body parsed by `express.json()` is used as is).
 */
export function createNodeHandler(
  transport: Pick<StreamableHttpTransport, "handle">,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void transport.handle(new NodeExchange(req, res));
  };
}
