import { FastestMcpError } from "../errors.js";
import type { LogLevel, RequestId } from "../protocol/mcp-types.js";
import type { DiagnosticLogger } from "../util/diagnostics.js";
import type {
  ElicitationSchema,
  ElicitResult,
  SampleOptions,
  SampleResult,
  SamplingMessage,
} from "./client-messages.js";
import type { ClientRequests } from "./client-requests.js";
import { Logger, type LogSink } from "./logger.js";
import { Progress } from "./progress.js";
import type { ProgressSink } from "./progress-sink.js";
import { ProgressTracker } from "./progress-tracker.js";

/** What every successful `reportProgress` returns. */
const REPORTED: Promise<void> = Promise.resolve();

/** What the runtime knows about a request when it builds its {@link Context}. */
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
  // The signal, logger, tracker and client are read from `init` when first used: the runtime's
  // init (LazyContextInit) builds them only then, so a handler that needs none pays for none.
  readonly #init: ContextInit;
  #progress: Progress | undefined = undefined;

  constructor(init: ContextInit) {
    this.requestId = init.requestId;
    this.sessionId = init.sessionId;
    this.taskId = init.taskId;
    this.serverName = init.serverName;
    this.#init = init;
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
   * Asks the client's model for a completion (`sampling/createMessage`). A string is sent as one
   * user message. Inside a background task the task is `input_required` until the client answers.
   * @throws {FastestMcpError} `FMCP_ERR_CLIENT_CAPABILITY_MISSING` when the client did not declare `sampling`.
   */
  async sample(messages: string | SamplingMessage[], options: SampleOptions = {}): Promise<SampleResult> {
    const client = this.#require("sampling", "sample with its model");
    const list: SamplingMessage[] =
      typeof messages === "string" ? [{ role: "user", content: { type: "text", text: messages } }] : messages;
    const { maxTokens = 1000, ...rest } = options;
    const result = await client.request(
      "sampling/createMessage",
      { messages: list, maxTokens, ...rest },
      this.signal,
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
   * Inside a background task the task is `input_required` until the person answers.
   * @throws {FastestMcpError} `FMCP_ERR_CLIENT_CAPABILITY_MISSING` when the client did not declare `elicitation`.
   */
  async elicit<T = Record<string, unknown>>(
    message: string,
    requestedSchema: ElicitationSchema,
  ): Promise<ElicitResult<T>> {
    const client = this.#require("elicitation", "ask its user");
    const result = await client.request(
      "elicitation/create",
      { mode: "form", message, requestedSchema },
      this.signal,
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

  #require(capability: string, what: string): ClientRequests {
    const client = this.#init.client;
    if (client === undefined || client.capabilities[capability] === undefined) {
      throw new FastestMcpError(
        "FMCP_ERR_CLIENT_CAPABILITY_MISSING",
        `This tool needs the client to ${what}, but the client did not declare the "${capability}" capability.`,
      );
    }
    return client;
  }
}

/**
 * @internal A caller's cancellation read without building its signal: `aborted` and `reason`
 * answer for a signal that may not exist yet; `signal` builds it.
 */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  readonly signal: AbortSignal;
}

/**
 * @internal An AbortController built on first use. Most requests end without anyone asking for
 * their signal, and a controller with its signal is one of the costliest parts of a small call.
 */
export class LazyAbortController implements Cancellation {
  #controller: AbortController | undefined = undefined;

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  get aborted(): boolean {
    return this.#controller?.signal.aborted === true;
  }

  get reason(): unknown {
    return this.#controller?.signal.reason;
  }

  abort(reason?: unknown): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(reason);
  }
}

/** @internal A plain AbortSignal seen as a {@link Cancellation}. */
export class SignalCancellation implements Cancellation {
  readonly signal: AbortSignal;

  constructor(signal: AbortSignal) {
    this.signal = signal;
  }

  get aborted(): boolean {
    return this.signal.aborted;
  }

  get reason(): unknown {
    return this.signal.reason;
  }
}

/** @internal What the runtime knows of a call; each part is read when what needs it is built. */
export interface ContextSource {
  readonly requestId: RequestId;
  readonly serverName: string;
  readonly sessionId?: string | undefined;
  readonly taskId?: string | undefined;
  readonly progressSink?: ProgressSink | undefined;
  readonly progressIntervalMs?: number | undefined;
  readonly logSink?: LogSink | undefined;
  readonly logLevel?: LogLevel | undefined;
  readonly client?: ClientRequests | undefined;
  /** Where a throwing progress or log listener is reported. */
  readonly logger?: DiagnosticLogger | undefined;
}

/**
 * @internal The runtime's {@link ContextInit}: the signal, logger and progress tracker are built
 * on first use. `close()` ends the call: a tracker that exists is closed (its final state is
 * delivered), and one first asked for later is born closed, as it would have been.
 */
export class LazyContextInit implements ContextInit {
  readonly #source: ContextSource;
  readonly #cancel: Cancellation | undefined;
  #signal: AbortSignal | undefined = undefined;
  #log: Logger | undefined = undefined;
  #tracker: ProgressTracker | undefined = undefined;
  #closed = false;

  /** `cancel` is what `signal` follows; without one, the signal is our own and never aborts. */
  constructor(source: ContextSource, cancel: Cancellation | undefined) {
    this.#source = source;
    this.#cancel = cancel;
  }

  get requestId(): RequestId {
    return this.#source.requestId;
  }
  get serverName(): string {
    return this.#source.serverName;
  }
  get sessionId(): string | undefined {
    return this.#source.sessionId;
  }
  get taskId(): string | undefined {
    return this.#source.taskId;
  }
  get client(): ClientRequests | undefined {
    return this.#source.client;
  }

  get signal(): AbortSignal {
    if (this.#cancel !== undefined) return this.#cancel.signal;
    this.#signal ??= new AbortController().signal;
    return this.#signal;
  }

  get log(): Logger {
    const source = this.#source;
    this.#log ??= new Logger(source.logSink, source.serverName, source.logLevel, source.logger);
    return this.#log;
  }

  get tracker(): ProgressTracker {
    if (this.#tracker === undefined) {
      const source = this.#source;
      this.#tracker = new ProgressTracker({
        sink: source.progressSink,
        intervalMs: source.progressIntervalMs,
        logger: source.logger,
      });
      if (this.#closed) this.#tracker.close();
    }
    return this.#tracker;
  }

  /** The call is over: delivers the tracker's final state, and it takes no more updates. */
  close(): void {
    this.#closed = true;
    this.#tracker?.close();
  }
}
