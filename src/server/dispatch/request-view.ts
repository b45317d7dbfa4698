import type { RequestInfo } from "../../protocol/request-info.js";

/**
 * `ctx.request`: the HTTP request a message arrived in, read-only, without its `Authorization`
 * header (MCP forbids passing the caller's token on; `ctx.auth` has the verified identity). Made
 * on first read of `ctx.request`, so a handler that never reads it costs nothing.
 */
export class RequestView implements RequestInfo {
  readonly #request: RequestInfo;

  constructor(request: RequestInfo) {
    this.#request = request;
  }

  get method(): string {
    return this.#request.method;
  }

  get path(): string {
    return this.#request.path;
  }

  header(name: string): string | undefined {
    const lower = name.toLowerCase();
    return lower === "authorization" ? undefined : this.#request.header(lower);
  }
}
