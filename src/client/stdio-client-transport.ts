import type { ChildProcess } from "node:child_process";
import { FastestMcpError } from "../errors.js";
import { type JsonRpcMessage, messageJson, parseJsonRpc } from "../protocol/jsonrpc.js";
import { LineSplitter } from "../protocol/line-splitter.js";
import { ProtocolError } from "../protocol/protocol-error.js";
import { getBuiltinModule } from "../util/node-builtin.js";
import { WriteCoalescer } from "../util/write-coalescer.js";
import type { ClientTransport, ClientTransportEvents } from "./client-transport.js";

/** A server to launch as a child process and talk to over stdio. */
export interface StdioServerParameters {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Where the child's stderr goes (default: this process's stderr). */
  stderr?: "inherit" | "ignore" | "pipe";
  /**
   * How long `close()` waits after ending the child's stdin before it sends SIGTERM, and again
   * before SIGKILL, in ms (default 500 each): the MCP stdio shutdown sequence, for servers that
   * ignore end of input or SIGTERM.
   */
  shutdownGraceMs?: number;
  /**
   * Start the server in its own process group (default false), so a Ctrl-C at the terminal
   * reaches only this process, which can then cancel the server's work before it ends the server
   * (`close()` still stops it). Without it the terminal signals the server too.
   */
  detached?: boolean;
  /** Longest accepted line from the server in bytes (default 64 MiB); longer lines are skipped. */
  maxLineBytes?: number;
}

/** The exit of the server process. */
export interface StdioServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 500;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Launches an MCP server as a child process and exchanges newline-delimited JSON-RPC with it.
 * Node only (and Bun, Deno): loaded by `Client.connect` just when a command is given, and
 * node:child_process is looked up then, not imported, so the HTTP client stays runtime-neutral
 * and bundles for Workers and browsers.
 */
export class StdioClientTransport implements ClientTransport {
  readonly #params: StdioServerParameters;
  #child: ChildProcess | undefined;
  #events: ClientTransportEvents | undefined;
  #closing = false;
  #exit: StdioServerExit | undefined;
  readonly #lines: LineSplitter;
  /** Joins the messages of one tick into one write, as the server side does. */
  readonly #out = new WriteCoalescer(
    (chunk) => this.#writeChunk(chunk),
    (flush) => process.nextTick(flush),
  );
  /** Settles the `send` promises of the messages waiting in `#out`, once their chunk is written. */
  #waiting: Array<(error: Error | null | undefined) => void> = [];

  constructor(params: StdioServerParameters) {
    this.#params = params;
    this.#lines = new LineSplitter(params.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, {
      onLine: (line) => this.#onLine(line),
      // A runaway line is not a message we could answer: skip it like any other noise.
      onOverflow: () => undefined,
      // Node-only transport: Buffer's decoder beats TextDecoder on short lines; the view copies nothing.
      decode: (bytes) =>
        (Buffer.isBuffer(bytes)
          ? bytes
          : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        ).toString("utf8"),
    });
  }

  /** The child's process id, once started. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** How the child exited (code or signal), once it has. */
  get exit(): StdioServerExit | undefined {
    return this.#exit;
  }

  async start(events: ClientTransportEvents): Promise<void> {
    this.#events = events;
    const childProcess = getBuiltinModule?.("node:child_process");
    if (childProcess === undefined) {
      throw new FastestMcpError(
        "FMCP_ERR_RUNTIME_UNSUPPORTED",
        "Launching a server over stdio needs node:child_process (Node >= 20.16, Bun, Deno).",
      );
    }
    const child = childProcess.spawn(this.#params.command, this.#params.args ?? [], {
      cwd: this.#params.cwd,
      env: { ...process.env, ...this.#params.env },
      stdio: ["pipe", "pipe", this.#params.stderr ?? "inherit"],
      detached: this.#params.detached === true,
    });
    this.#child = child;
    child.stdout?.on("data", (chunk: Uint8Array) => this.#lines.push(chunk));
    child.stdout?.once("end", () => this.#lines.end());
    // EPIPE when the child is gone: reported by the write callbacks and the exit below.
    child.stdin?.on("error", () => undefined);
    child.once("exit", (code, signal) => {
      this.#exit = { code, signal };
      this.#settleWaiting(new ProtocolError("transport-closed", "The server process exited."));
      if (this.#closing) return;
      const message = `The server process exited (code ${code}, signal ${signal}).`;
      this.#events?.onClose(new ProtocolError("transport-closed", message, { exitCode: code, signal }));
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (error) => reject(this.#connectionFailed("could not be started", error)));
    });
  }

  /**
   * Queues one message; the messages of a tick leave in one write. Resolves once that write is done.
   * @throws {ProtocolError} `transport-closed` once the process has gone, `connection-failed` for a failed write.
   */
  send(message: JsonRpcMessage): Promise<void> {
    const stdin = this.#child?.stdin;
    if (stdin === undefined || stdin === null || stdin.destroyed || this.#exit !== undefined) {
      return Promise.reject(new ProtocolError("transport-closed", "The server process is not running."));
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push((error) =>
        error ? reject(this.#connectionFailed("did not take the message", error)) : resolve(),
      );
      this.#out.write(`${messageJson(message)}\n`);
    });
  }

  #writeChunk(chunk: string): void {
    const settle = this.#waiting;
    this.#waiting = [];
    const stdin = this.#child?.stdin;
    if (stdin === undefined || stdin === null || stdin.destroyed) {
      const gone = new Error("stdin is closed");
      for (const done of settle) done(gone);
      return;
    }
    stdin.write(chunk, (error) => {
      for (const done of settle) done(error);
    });
  }

  #settleWaiting(error: Error): void {
    this.#out.clear();
    const settle = this.#waiting;
    this.#waiting = [];
    for (const done of settle) done(error);
  }

  #connectionFailed(what: string, cause: Error): ProtocolError {
    if (cause instanceof ProtocolError) return cause;
    const { command } = this.#params;
    const message = `The server process (${command}) ${what}: ${cause.message}`;
    return new ProtocolError("connection-failed", message, { command }, { cause });
  }

  /**
   * Ends the child's stdin, then, as the MCP stdio shutdown rule says, sends SIGTERM if it has not
   * exited after `shutdownGraceMs`, and SIGKILL after as long again. Resolves once it has exited.
   */
  async close(): Promise<void> {
    const child = this.#child;
    if (child === undefined || this.#closing) return;
    this.#closing = true;
    this.#out.flush();
    // A child that never started (no pid) or has exited has nothing left to stop.
    if (this.#exit !== undefined || child.pid === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.stdin?.end();
    const grace = this.#params.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    const term = setTimeout(() => child.kill("SIGTERM"), grace);
    const kill = setTimeout(() => child.kill("SIGKILL"), 2 * grace);
    await exited;
    clearTimeout(term);
    clearTimeout(kill);
  }

  #onLine(raw: string): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    let message: JsonRpcMessage;
    try {
      message = parseJsonRpc(line);
    } catch {
      // Not a protocol message: a misbehaving server printed to stdout. Skip the line.
      return;
    }
    this.#events?.onMessage(message);
  }
}
