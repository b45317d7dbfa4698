import { wireErrorOf } from "../protocol/error-reasons.js";
import { errorResponse } from "../protocol/jsonrpc.js";
import {
  InternalError,
  InvalidRequestError,
  isProtocolError,
  ProtocolError,
} from "../protocol/protocol-error.js";
import type { FastestMCPServer } from "../server/fastestmcp-server.js";
import { BodyTooLargeError, type HttpExchange } from "../transports/http/exchange.js";
import { contentTypeError } from "../transports/http/header-rules.js";
import { HttpAuth } from "../transports/http/http-auth.js";
import { RequestGuard, type RequestGuardOptions } from "../transports/http/request-guard.js";
import type { DiagnosticLogger } from "../util/diagnostics.js";
import { type DashboardOptions, dashboardPath, isLoopbackPeer } from "./dashboard-options.js";
import { DASHBOARD_HTML } from "./dashboard-page.js";
import { DashboardStream } from "./dashboard-stream.js";
import { pageHeaders } from "./page-policy.js";
import { TaskBoard } from "./task-board.js";

export type { DashboardOptions };

const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-store" };
/** A cancel request is `{"taskId":"…"}`: anything longer is not one. */
const MAX_CANCEL_BODY = 4096;
const KEEPALIVE_MS = 25_000;

/** What `listen()` gives the dashboard besides its option. */
export interface DashboardContext {
  /** The MCP endpoint's path, which the dashboard must not cover. */
  mcpPath: string;
  /** The Host/Origin rules of the port's MCP endpoint (used with `allowRemote`). */
  endpointGuard: RequestGuardOptions;
  /** The loopback names and origins on the bound port (the default). */
  loopbackGuard: RequestGuardOptions;
  logger: DiagnosticLogger;
}

/** Something that serves HTTP exchanges: the MCP transport, or the dashboard in front of it. */
export interface ExchangeHandler {
  handle(exchange: HttpExchange): Promise<void>;
}

/**
 * The live task dashboard `listen({ dashboard })` serves next to the MCP endpoint: the page, an
 * SSE stream of task events (a snapshot, then every change), and a cancel action. Access:
 * loopback peers and names only unless `allowRemote`; the endpoint's Host/Origin rules; with the
 * server's `auth`, the same bearer token as `/mcp` for the stream and cancel, and a viewer sees
 * and cancels only the tasks its identity owns. Without `auth` it shows every task of this process.
 * The cancel action is a JSON POST that passes the Origin check: a page on another site can send
 * neither (a cross-site JSON POST needs a CORS preflight, which nothing here answers).
 */
export class Dashboard implements ExchangeHandler {
  readonly path: string;
  readonly #server: FastestMCPServer;
  readonly #next: ExchangeHandler;
  readonly #allowRemote: boolean;
  readonly #guard: RequestGuard;
  readonly #auth: HttpAuth | undefined;
  readonly #board: TaskBoard;
  readonly #streams = new Set<DashboardStream>();
  readonly #keepAlive: ReturnType<typeof setInterval>;
  #closed = false;

  /**
   * Serves the dashboard's paths and hands every other exchange to `next` (the MCP endpoint).
   * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for a bad path.
   */
  constructor(
    server: FastestMCPServer,
    options: DashboardOptions,
    context: DashboardContext,
    next: ExchangeHandler,
  ) {
    this.path = dashboardPath(options.path, context.mcpPath);
    this.#server = server;
    this.#next = next;
    this.#allowRemote = options.allowRemote === true;
    this.#guard = new RequestGuard(this.#allowRemote ? context.endpointGuard : context.loopbackGuard);
    const auth = server.sessions.auth;
    this.#auth = auth === undefined ? undefined : new HttpAuth(auth, context.logger);
    this.#board = new TaskBoard(server);
    this.#keepAlive = setInterval(() => {
      for (const stream of this.#streams) stream.keepAlive();
    }, KEEPALIVE_MS);
    this.#keepAlive.unref?.();
  }

  handle(exchange: HttpExchange): Promise<void> {
    const { path } = exchange;
    if (path !== this.path && !path.startsWith(`${this.path}/`)) return this.#next.handle(exchange);
    return this.#serve(exchange).catch((error: unknown) => {
      this.#fail(exchange, error);
    });
  }

  /** Ends the open streams and stops listening to the runtime. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#keepAlive);
    this.#board.close();
    for (const stream of this.#streams) stream.end();
    this.#streams.clear();
  }

  async #serve(exchange: HttpExchange): Promise<void> {
    if (!this.#allowRemote && !isLoopbackPeer(exchange.remoteAddress)) {
      throw new InvalidRequestError(
        "Forbidden: the dashboard is served to this machine only. To serve it to others, set dashboard: { allowRemote: true } with the server's auth option (docs/dashboard.md).",
        "forbidden",
      );
    }
    const denied = this.#guard.check(exchange.header("origin"), exchange.header("host"));
    if (denied !== undefined) throw denied;
    if (this.#closed) throw new ProtocolError("shutting-down");
    const action = exchange.path.slice(this.path.length);
    if (action === "" && (exchange.method === "GET" || exchange.method === "HEAD")) {
      // The page holds no data (the same for everyone), so it needs no token: it asks for one.
      const headers = { "content-type": "text/html; charset=utf-8", ...(await pageHeaders()) };
      return exchange.respond(200, headers, exchange.method === "HEAD" ? undefined : DASHBOARD_HTML);
    }
    if (action === "/events" && exchange.method === "GET") {
      const owner = await this.#viewer(exchange);
      if (owner !== null) await this.#stream(exchange, owner);
      return;
    }
    if (action === "/cancel" && exchange.method === "POST") {
      const owner = await this.#viewer(exchange);
      if (owner !== null) await this.#cancel(exchange, owner);
      return;
    }
    if (action === "" || action === "/events" || action === "/cancel") {
      const allow = action === "" ? "GET, HEAD" : action === "/events" ? "GET" : "POST";
      return exchange.respond(405, { ...JSON_HEADERS, allow }, errorBody(notAllowed(exchange.method, allow)));
    }
    throw new InvalidRequestError(`Not found: the dashboard is ${this.path}.`, "not-found");
  }

  /** Whose tasks the request may see: undefined for all (no auth); null once a refusal was sent. */
  async #viewer(exchange: HttpExchange): Promise<string | undefined | null> {
    const auth = this.#auth;
    if (auth === undefined) return undefined;
    return (await auth.admit(exchange)) ? auth.ownerOf(exchange) : null;
  }

  async #stream(exchange: HttpExchange, owner: string | undefined): Promise<void> {
    const writer = exchange.startSse({
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    const stream = new DashboardStream(writer, owner, this.#server.name);
    const current = () => this.#board.tasks(owner);
    const listener = (updates: Parameters<DashboardStream["send"]>[0]) => stream.send(updates, current);
    let open = true;
    writer.onClose(() => {
      open = false;
      this.#streams.delete(stream);
      this.#board.unwatch(listener);
    });
    const tasks = await this.#board.watch(owner, listener);
    if (!open || this.#closed) {
      this.#board.unwatch(listener);
      return;
    }
    this.#streams.add(stream);
    stream.snapshot(tasks);
  }

  async #cancel(exchange: HttpExchange, owner: string | undefined): Promise<void> {
    const unsupported = contentTypeError(exchange.header("content-type"));
    if (unsupported !== undefined) throw unsupported;
    let taskId: unknown;
    try {
      taskId = (JSON.parse(await exchange.readBody(MAX_CANCEL_BODY)) as { taskId?: unknown } | null)?.taskId;
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new InvalidRequestError(error.message, "body-too-large");
      taskId = undefined;
    }
    if (typeof taskId !== "string") {
      throw new InvalidRequestError('The cancel body must be {"taskId": "…"}.', "invalid-request");
    }
    const task = await this.#board.cancel(taskId, owner);
    exchange.respond(200, JSON_HEADERS, JSON.stringify({ taskId: task.taskId, status: task.status }));
  }

  #fail(exchange: HttpExchange, error: unknown): void {
    if (!isProtocolError(error)) this.#server.logger.error("dashboard request failed", { error });
    const refusal = isProtocolError(error) ? error : new InternalError("Internal error", "internal-error");
    exchange.respond(statusOf(refusal), JSON_HEADERS, errorBody(refusal));
  }
}

function notAllowed(method: string, allow: string): ProtocolError {
  return new InvalidRequestError(`Method ${method} is not allowed here: use ${allow}.`, "invalid-request");
}

function errorBody(error: ProtocolError): string {
  return JSON.stringify(errorResponse(null, error.toJSON()));
}

/** The HTTP status of a refusal: the error table's, and for the task errors 404 and 409. */
function statusOf(error: ProtocolError): number {
  if (error.reason === "task-not-found") return 404;
  if (error.reason === "task-terminal") return 409;
  return wireErrorOf(error.reason)?.http ?? 400;
}
