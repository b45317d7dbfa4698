import { FastestMcpError } from "../errors.js";
import {
  errorResponse,
  isRequest,
  type JsonRpcId,
  type JsonRpcMessage,
  messageJson,
  parseJsonRpc,
  readableId,
} from "../protocol/jsonrpc.js";
import { LineSplitter } from "../protocol/line-splitter.js";
import { InvalidRequestError, type JsonRpcErrorObject, toJsonRpcError } from "../protocol/protocol-error.js";
import type { FastestMCPServer } from "../server/fastestmcp-server.js";
import type { MessageChannel, Session } from "../server/session/session.js";
import {
  DEFAULT_PROGRESS_BARRIER_TIMEOUT_MS,
  DEFAULT_PROGRESS_GAP_MS,
  StdioOutput,
  type StdioOutputHooks,
} from "./stdio-output.js";
import { StdioRevisionPin } from "./stdio-stateless.js";

/** Default cap on one incoming line: 4 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

/** Options of {@link serveStdio}. */
export interface StdioOptions {
  /** Where client messages arrive, one JSON-RPC message per line. Default `process.stdin`. */
  input?: NodeJS.ReadableStream;
  /** Where server messages go, one per line. Default `process.stdout`. Never ended by the transport. */
  output?: NodeJS.WritableStream;
  /** Longest accepted line in bytes, newline excluded (default 4 MiB); longer lines get -32600 and are dropped. */
  maxLineBytes?: number;
  /**
   * Before a response that follows progress, write a `ping` and hold the response until the
   * client answers it (default true). Clients built on the official SDK otherwise lose progress
   * they read in the same chunk as the response (see docs/stdio.md). Costs a round trip per such response.
   */
  progressBarrier?: boolean;
  /**
   * How long to wait for the answer to that ping, in ms (default 1000). Past it, held lines are
   * written and barriers stay off until the client answers.
   */
  progressBarrierTimeoutMs?: number;
  /**
   * On a stateless (2026-07-28) connection, which takes no ping: how long a response that follows
   * progress waits before it is written, in its own write (default 2 ms). A client that reads
   * whenever it is idle then gets the progress first; see docs/stdio.md.
   */
  progressGapMs?: number;
}

/** Options of `new StdioServerTransport(…)`: the server to serve, plus {@link StdioOptions}. */
export interface StdioServerTransportOptions extends StdioOptions {
  /** The server to serve: a `FastestMCP`, or any `FastestMCPServer`. */
  server: FastestMCPServer;
}

/**
 * The MCP stdio transport, server side: newline-delimited JSON-RPC on `input`/`output`, one
 * session per transport. Requests run concurrently; each response is written when it is ready,
 * except that one following progress first waits for the client to answer a `ping` (see `progressBarrier`).
 * Nothing but protocol messages is ever written to `output` (diagnostics go to the server's
 * `logger`: stderr by default).
 *
 * End of input stops reading, lets the requests in flight answer, then ends the session;
 * {@link close} ends it at once (requests in flight are aborted and get no response).
 */
export class StdioServerTransport {
  readonly #server: FastestMCPServer;
  readonly #input: NodeJS.ReadableStream;
  readonly #output: NodeJS.WritableStream;
  readonly #pending = new Set<Promise<void>>();
  /** Cuts the input into lines, linear in its size. */
  readonly #lines: LineSplitter;
  #session: Session | undefined;
  /** The revision the connection speaks, pinned by its first request. */
  #pin: StdioRevisionPin | undefined;
  #state: "new" | "open" | "draining" | "closed" = "new";
  #closing: Promise<void> | undefined;
  /** Batches outgoing lines; holds a response that follows progress until the client has handled it. */
  readonly #out: StdioOutput;
  readonly #progressGapMs: number;
  #resolveClosed!: () => void;
  /** Settles once the session has ended (end of input, {@link close}, or a stream error). Never rejects. */
  readonly closed: Promise<void> = new Promise((resolve) => {
    this.#resolveClosed = resolve;
  });

  readonly #onData = (chunk: Buffer | string): void => {
    this.#lines.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  };
  readonly #onEnd = (): void => {
    void this.#drainAndClose();
  };
  readonly #onInputError = (error: Error): void => {
    this.#server.logger.warn("stdio input failed", { error });
    void this.close();
  };
  readonly #onOutputError = (error: Error): void => {
    // EPIPE and friends: the client stopped reading, so nobody is left to answer.
    this.#out.clear();
    if (this.#state !== "closed") this.#server.logger.warn("stdio output failed", { error });
    void this.close();
  };
  readonly #outputHooks: StdioOutputHooks = {
    onFull: () => {
      if (this.#state === "open") this.#input.pause();
    },
    onError: this.#onOutputError,
    onBarrierTimeout: (timeoutMs) => {
      const message = "stdio client did not answer a progress barrier ping; responses stop waiting for one";
      this.#server.logger.warn(message, { timeoutMs });
    },
  };
  readonly #onDrain = (): void => {
    this.#out.drained();
    if (this.#state === "open") this.#input.resume();
  };

  constructor(options: StdioServerTransportOptions) {
    const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `maxLineBytes must be a whole number of bytes >= 1, got ${String(options.maxLineBytes)}.`,
      );
    }
    this.#server = options.server;
    this.#input = options.input ?? process.stdin;
    this.#output = options.output ?? process.stdout;
    this.#lines = new LineSplitter(max, {
      onLine: (line) => this.#line(line),
      onOverflow: (maxLineBytes) =>
        this.#answer(
          null,
          new InvalidRequestError(
            `A message line is longer than ${maxLineBytes} bytes.`,
            "message-too-large",
            {
              maxLineBytes,
            },
          ).toJSON(),
        ),
      // Buffer's decoder beats TextDecoder on Node; the bytes are a Buffer's view, so nothing is copied.
      decode: (bytes) =>
        (Buffer.isBuffer(bytes)
          ? bytes
          : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        ).toString("utf8"),
      accepting: () => this.#state === "open",
    });
    const timeoutMs = options.progressBarrierTimeoutMs ?? DEFAULT_PROGRESS_BARRIER_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `progressBarrierTimeoutMs must be a whole number of milliseconds >= 1, got ${String(options.progressBarrierTimeoutMs)}.`,
      );
    }
    const gapMs = options.progressGapMs ?? DEFAULT_PROGRESS_GAP_MS;
    if (!Number.isSafeInteger(gapMs) || gapMs < 1) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `progressGapMs must be a whole number of milliseconds >= 1, got ${String(options.progressGapMs)}.`,
      );
    }
    this.#progressGapMs = gapMs;
    this.#out = new StdioOutput(this.#output, this.#outputHooks, options.progressBarrier ?? true, timeoutMs);
  }

  /** The transport's session, once started. */
  get session(): Session | undefined {
    return this.#session;
  }

  /** Opens the session and starts reading. Calling it again does nothing; a closed transport stays closed. */
  async start(): Promise<void> {
    if (this.#state !== "new") return;
    this.#state = "open";
    const out = this.#out;
    // Backpressure from the output's write()/'drain': listen streams hold back while it is full.
    const channel: MessageChannel = {
      send: (message: JsonRpcMessage) => this.#write(message),
      get congested() {
        return out.congested;
      },
      onDrain: (callback) => out.onDrain(callback),
    };
    this.#session = this.#server.sessions.create(channel);
    this.#pin = new StdioRevisionPin(this.#server.sessions, channel);
    this.#output.on("error", this.#onOutputError);
    this.#output.on("drain", this.#onDrain);
    this.#input.on("data", this.#onData);
    this.#input.on("end", this.#onEnd);
    // A stream destroyed without an error emits "close" but no "end".
    this.#input.on("close", this.#onEnd);
    this.#input.on("error", this.#onInputError);
    this.#input.resume();
  }

  /** Stops reading and ends the session now: requests in flight are aborted. Resolves once it has ended. */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    const wasStarted = this.#state !== "new";
    this.#state = "closed";
    // What was sent before closing still leaves, before `closed` settles and the process may exit.
    this.#out.flushAll();
    this.#stopReading();
    this.#output.off("drain", this.#onDrain);
    // The error listener stays: a late EPIPE on output must not crash the process.
    try {
      this.#pin?.closeAll();
      if (wasStarted && this.#session !== undefined) await this.#server.sessions.end(this.#session.id);
    } catch (error) {
      this.#server.logger.error("ending the stdio session failed", { error });
    } finally {
      this.#resolveClosed();
    }
  }

  async #drainAndClose(): Promise<void> {
    if (this.#state !== "open") return;
    this.#state = "draining";
    this.#stopReading();
    // A last line without a newline still counts as a message.
    this.#lines.end();
    // The client sends nothing more, so no barrier ping can be answered: stop holding responses.
    this.#out.stopWaiting();
    // Nor can it cancel a subscriptions/listen stream: those end now, with their answer.
    this.#pin?.endStreams();
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
    // A stateless connection's last responses still get their gap after their progress.
    await this.#out.released();
    await this.close();
  }

  #stopReading(): void {
    this.#input.off("data", this.#onData);
    this.#input.off("end", this.#onEnd);
    this.#input.off("close", this.#onEnd);
    this.#input.off("error", this.#onInputError);
    // A paused stdin no longer keeps the process alive.
    this.#input.pause();
  }

  /** Handles one complete line: parses it and hands the message to the session without waiting. */
  #line(raw: string): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim().length === 0) return;
    let message: JsonRpcMessage;
    try {
      message = parseJsonRpc(line);
    } catch (error) {
      this.#answer(idOf(line), toJsonRpcError(error));
      return;
    }
    // The answer to a progress barrier ping is the transport's, not the session's.
    if (!("method" in message) && this.#out.answered(message.id)) return;
    const session = this.#session!;
    const pin = this.#pin!;
    const stateless = pin.claims(message, session);
    // A stateless connection never gets the progress barrier's pings (it takes no requests from
    // us): a gap stands in for them. A refused stateless request (a probe for a revision this
    // server does not serve) pins nothing, and the 2025 session it falls back to keeps its pings.
    if (stateless && pin.stateless) this.#out.useGaps(this.#progressGapMs);
    const pending = (stateless ? pin.handle(message) : session.handle(message)).then(
      (response) => {
        if (response !== undefined) this.#write(response);
      },
      (error: unknown) => {
        // The dispatcher answers handler failures itself; this is a bug, but the client still gets an answer.
        this.#server.logger.error("stdio dispatch failed", { error });
        if (isRequest(message)) this.#answer(message.id, toJsonRpcError(error));
      },
    );
    this.#pending.add(pending);
    void pending.finally(() => this.#pending.delete(pending));
  }

  #answer(id: JsonRpcId | null, error: JsonRpcErrorObject): void {
    this.#write(errorResponse(id, error));
  }

  /**
   * Writes one message as one line, with the other lines of this tick (a response after progress
   * waits for the client: see {@link StdioOutput}). Stops reading while the output is backed up.
   */
  #write(message: JsonRpcMessage): void {
    if (this.#state === "closed") return;
    let text: string;
    try {
      text = messageJson(message);
    } catch (error) {
      this.#server.logger.error("could not serialise an outgoing message", { error });
      if ("id" in message && message.id !== null && !("error" in message)) {
        this.#answer(message.id, toJsonRpcError(error));
      }
      return;
    }
    this.#out.push(text, message);
  }
}

/** The id of a line that parsed as JSON but is not a valid message, when it has one. */
function idOf(line: string): JsonRpcId | null {
  try {
    return readableId(JSON.parse(line));
  } catch {
    return null;
  }
}

/**
 * Serves `server` over stdio (by default `process.stdin` / `process.stdout`) and resolves with the
 * started transport. Await `transport.closed` to learn when the client has gone.
 *
 * ```ts
 * const transport = await serveStdio(server);
 * await transport.closed; // stdin ended
 * await server.close();
 * ```
 */
export async function serveStdio(
  server: FastestMCPServer,
  options?: StdioOptions,
): Promise<StdioServerTransport> {
  const transport = new StdioServerTransport({ ...options, server });
  await transport.start();
  return transport;
}
