import { FastestMcpError } from "../errors.js";
import type { AuthInfo } from "../protocol/auth-info.js";
import type { RequestId } from "../protocol/mcp-types.js";
import type { RequestInfo } from "../protocol/request-info.js";
import type {
  ElicitationSchema,
  ElicitResult,
  InputOptions,
  Root,
  SampleOptions,
  SampleResult,
  SamplingMessage,
} from "./client-messages.js";
import type { ClientRequests } from "./client-requests.js";
import type { Logger } from "./logger.js";
import { Progress } from "./progress.js";
import type { ProgressTracker } from "./progress-tracker.js";

/** The capabilities of a context nobody can answer requests for. */
const NO_CAPABILITIES: Readonly<Record<string, unknown>> = Object.freeze({});

/** What every successful `reportProgress` returns. */
const REPORTED: Promise<void> = Promise.resolve();

/**
 * What a {@link Context} reads about its request. The server's request scope implements it with
 * every part built on first read; a unit test can pass a plain object (see docs/context.md).
 */
export interface ContextInit {
  requestId: RequestId;
  serverName: string;
  signal: AbortSignal;
  log: Logger;
  tracker: ProgressTracker;
  sessionId?: string | undefined;
  taskId?: string | undefined;
  /** Requests to the connected client; absent when nobody can answer them. */
  client?: ClientRequests | undefined;
  /** The caller's verified identity, when the server has `auth` (or an in-process call passed one). */
  auth?: AuthInfo | undefined;
  /** The HTTP request the message arrived in (headers without `Authorization`); absent off HTTP. */
  httpRequest?: RequestInfo | undefined;
}

/**
 * Everything a handler gets about the request it serves. One per request; fixed shape; the
 * progress helper is created on first use.
 */
export class Context {
  /** The request's id (JSON-RPC id on the wire, a generated id in-process). */
  readonly requestId: RequestId;
  /** The session this request arrived on, when there is one. */
  readonly sessionId: string | undefined;
  /** The background task running this handler, when it runs as one. */
  readonly taskId: string | undefined;
  /** The server's name. */
  readonly serverName: string;
  // The signal, logger, tracker and client are read from `init` when first used: the server's
  // request scope builds them only then, so a handler that needs none pays for none.
  readonly #init: ContextInit;
  #progress: Progress | undefined = undefined;

  constructor(init: ContextInit) {
    this.requestId = init.requestId;
    this.sessionId = init.sessionId;
    this.taskId = init.taskId;
    this.serverName = init.serverName;
    this.#init = init;
  }

  /**
   * Who is calling: the identity the server's token verifier made of the request's access token
   * (docs/auth.md). `undefined` without `auth`, on stdio, and in-process unless the call passed `auth`.
   */
  get auth(): AuthInfo | undefined {
    return this.#init.auth;
  }

  /**
   * A read-only view of the HTTP request this message arrived in (method, path, headers; never
   * the `Authorization` header). `undefined` on stdio and in-process.
   */
  get request(): RequestInfo | undefined {
    return this.#init.httpRequest;
  }

  /** Aborted when the caller cancels, the tool's timeout expires or the task is cancelled. */
  get signal(): AbortSignal {
    return this.#init.signal;
  }

  /** Structured logging: `ctx.log.info("fetched", { rows: 10 })`. */
  get log(): Logger {
    return this.#init.log;
  }

  /**
   * Reports progress directly. `total` and `message` keep their previous values when omitted.
   * Rejects with a `ProgressError` (code -32602) when `current` does not increase, is not a
   * finite number >= 0, or exceeds the total; nothing is emitted then.
   */
  reportProgress(current: number, total?: number, message?: string): Promise<void> {
    // Not `async`: the work is synchronous, and a loop reports once per step. Success shares one
    // settled promise instead of allocating one per call; a failure still comes back as a rejection.
    try {
      this.#init.tracker.report(current, total, message);
    } catch (error) {
      return Promise.reject(error);
    }
    return REPORTED;
  }

  /** The request-local progress helper (the same object on every call). */
  progress(): Progress {
    if (this.#progress === undefined) this.#progress = new Progress(this.#init.tracker);
    return this.#progress;
  }

  /**
   * What the client declared it can answer (`sampling`, `elicitation`, `roots`, …): at
   * `initialize` on the 2025 revisions, in this request's `_meta` on 2026-07-28. Empty when nobody
   * can answer (in-process without handlers).
   */
  get clientCapabilities(): Readonly<Record<string, unknown>> {
    return this.#init.client?.capabilities ?? NO_CAPABILITIES;
  }

  /**
   * Asks the client's model for a completion (`sampling/createMessage`). A string is sent as one
   * user message. Inside a background task the task is `input_required` until the client answers.
   * On a 2026-07-28 request the handler runs again with the answer (docs/revisions.md#asking-the-client).
   * @throws {FastestMcpError} `FMCP_ERR_CLIENT_CAPABILITY_MISSING` when the client did not declare `sampling`.
   */
  async sample(messages: string | SamplingMessage[], options: SampleOptions = {}): Promise<SampleResult> {
    const client = this.#require("sampling", "sample with its model");
    const list: SamplingMessage[] =
      typeof messages === "string" ? [{ role: "user", content: { type: "text", text: messages } }] : messages;
    const { maxTokens = 1000, inputKey, ...rest } = options;
    const result = await client.request(
      "sampling/createMessage",
      { messages: list, maxTokens, ...rest },
      this.signal,
      inputKey,
    );
    if (typeof result.model !== "string" || typeof result.content !== "object" || result.content === null) {
      throw new FastestMcpError(
        "FMCP_ERR_CLIENT_RESPONSE_INVALID",
        "The client's sampling result has no model or content.",
      );
    }
    return result as SampleResult;
  }

  /**
   * Asks the person behind the client to fill in a form (`elicitation/create`, form mode).
   * Inside a background task the task is `input_required` until the person answers. On a
   * 2026-07-28 request the handler runs again with the answer (docs/revisions.md#asking-the-client).
   * @throws {FastestMcpError} `FMCP_ERR_CLIENT_CAPABILITY_MISSING` when the client did not declare `elicitation`.
   */
  async elicit<T = Record<string, unknown>>(
    message: string,
    requestedSchema: ElicitationSchema,
    options: InputOptions = {},
  ): Promise<ElicitResult<T>> {
    const client = this.#require("elicitation", "ask its user");
    const result = await client.request(
      "elicitation/create",
      { mode: "form", message, requestedSchema },
      this.signal,
      options.inputKey,
    );
    const action = result.action;
    if (action === "accept") {
      const content = result.content;
      if (typeof content !== "object" || content === null || Array.isArray(content)) {
        throw new FastestMcpError(
          "FMCP_ERR_CLIENT_RESPONSE_INVALID",
          "The client accepted the elicitation without content.",
        );
      }
      return { action, content: content as T };
    }
    if (action === "decline" || action === "cancel") return { action };
    throw new FastestMcpError(
      "FMCP_ERR_CLIENT_RESPONSE_INVALID",
      `The client answered the elicitation with action ${JSON.stringify(action)}.`,
    );
  }

  /**
   * Asks the client for its roots (`roots/list`): the directories or files it lets the server
   * work in. On a 2026-07-28 request the handler runs again with the answer.
   * @throws {FastestMcpError} `FMCP_ERR_CLIENT_CAPABILITY_MISSING` when the client did not declare `roots`.
   */
  async listRoots(options: InputOptions = {}): Promise<Root[]> {
    const client = this.#require("roots", "list its roots");
    const result = await client.request("roots/list", {}, this.signal, options.inputKey);
    const roots = result.roots;
    if (!Array.isArray(roots) || !roots.every((root) => typeof root?.uri === "string")) {
      throw new FastestMcpError(
        "FMCP_ERR_CLIENT_RESPONSE_INVALID",
        "The client's roots result has no roots array of { uri }.",
      );
    }
    return roots as Root[];
  }

  #require(capability: string, what: string): ClientRequests {
    const client = this.#init.client;
    if (client === undefined || client.capabilities[capability] === undefined) {
      const wire = client?.missingCapability?.(capability, what);
      if (wire !== undefined) throw wire;
      throw new FastestMcpError(
        "FMCP_ERR_CLIENT_CAPABILITY_MISSING",
        `This tool needs the client to ${what}, but the client did not declare the "${capability}" capability.`,
      );
    }
    return client;
  }
}
