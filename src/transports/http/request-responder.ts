import type { JsonRpcRequest } from "../../protocol/jsonrpc.js";
import { REVISIONS } from "../../protocol/revisions.js";
import { afterTask } from "../../util/after-task.js";
import type { HttpExchange } from "./exchange.js";
import type { HttpSession, RequestRoute } from "./http-session.js";

/** How {@link RequestResponder} answers. */
export interface RequestResponderOptions {
  /** The `retry` delay suggested to clients in the priming event, in ms. */
  retryMs: number;
  /** Answer with JSON a request that completes before the next event-loop turn. */
  immediateJson: boolean;
}

/**
 * Answers one POSTed JSON-RPC request, once the transport has checked its session and headers.
 * MCP lets the server answer with JSON or SSE. A request answered before the next turn of the
 * event loop, with nothing streamed before its answer, gets plain JSON (cheaper for both sides);
 * anything slower or chattier gets its SSE stream, primed for resumption.
 */
export class RequestResponder {
  readonly #retryMs: number;
  readonly #immediateJson: boolean;
  /** Routes of this turn's requests, opened as SSE on the next turn unless answered by then. */
  #deferred: RequestRoute[] = [];
  // One callback per event-loop turn for all of the turn's requests, not one per request.
  readonly #openDeferred = (): void => {
    const routes = this.#deferred;
    this.#deferred = [];
    for (const route of routes) route.open(); // a no-op for routes answered meanwhile
  };

  constructor(options: RequestResponderOptions) {
    this.#retryMs = options.retryMs;
    this.#immediateJson = options.immediateJson;
  }

  /** Answers with JSON only (the client does not accept SSE, or the server is set to JSON). */
  async answerJson(exchange: HttpExchange, http: HttpSession, request: JsonRpcRequest): Promise<void> {
    // Messages about this request travel on the standalone stream meanwhile (not dropped).
    const response = await http.session.handle(request, exchange);
    if (response === undefined) return exchange.respond(202, {});
    exchange.respond(200, http.jsonHeaders, JSON.stringify(response));
  }

  /** Answers with SSE, or with JSON when the answer is ready before the next event-loop turn. */
  async answer(exchange: HttpExchange, http: HttpSession, request: JsonRpcRequest): Promise<void> {
    const prime = http.session.revision?.version === REVISIONS[0]?.version;
    const route = http.openRequest(request.id, exchange, prime ? this.#retryMs : undefined);
    if (!this.#immediateJson) route.open();
    else if (this.#deferred.push(route) === 1) afterTask(this.#openDeferred);
    try {
      const response = await http.session.handle(request, exchange);
      const stream = route.stream;
      if (stream !== undefined) {
        if (response !== undefined) stream.send(response);
      } else if (response !== undefined) {
        exchange.respond(200, http.jsonHeaders, JSON.stringify(response));
      } else {
        exchange.respond(202, {}); // cancelled before anything was streamed: nothing to say
      }
    } finally {
      http.closeRequest(route);
    }
  }
}
