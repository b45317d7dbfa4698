import type { ChildProcess } from "node:child_process";
import { FastestMcpError } from "../errors.js";
import { type JsonRpcMessage, parseJsonRpc } from "../protocol/jsonrpc.js";
import { ProtocolError } from "../protocol/protocol-error.js";
import { getBuiltinModule } from "../util/node-builtin.js";
import type { ClientTransport, ClientTransportEvents } from "./client-transport.js";

/** A server to launch as a child process and talk to over stdio. */
export interface StdioServerParameters {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Where the child's stderr goes (default: this process's stderr). */
  stderr?: "inherit" | "ignore" | "pipe";
}

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
  #buffer = "";
  #closing = false;

  constructor(params: StdioServerParameters) {
    this.#params = params;
  }

  /** The child's process id, once started. */
  get pid(): number | undefined {
    return this.#child?.pid;
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
    });
    this.#child = child;
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => this.#onData(chunk));
    child.once("exit", (exitCode, signal) => {
      if (this.#closing) return;
      const message = `The server process exited (code ${exitCode}, signal ${signal}).`;
      this.#events?.onClose(new ProtocolError("transport-closed", message, { exitCode, signal }));
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (error) => reject(this.#connectionFailed("could not be started", error)));
    });
  }

  /** @throws {ProtocolError} `transport-closed` once the process has gone, `connection-failed` for a failed write. */
  send(message: JsonRpcMessage): Promise<void> {
    const stdin = this.#child?.stdin;
    if (stdin === undefined || stdin === null || stdin.destroyed) {
      return Promise.reject(new ProtocolError("transport-closed", "The server process is not running."));
    }
    return new Promise((resolve, reject) => {
      stdin.write(`${JSON.stringify(message)}\n`, (error) =>
        error ? reject(this.#connectionFailed("did not take the message", error)) : resolve(),
      );
    });
  }

  #connectionFailed(what: string, cause: Error): ProtocolError {
    const { command } = this.#params;
    const message = `The server process (${command}) ${what}: ${cause.message}`;
    return new ProtocolError("connection-failed", message, { command }, { cause });
  }

  /** Ends stdin, then terminates the child if it does not exit by itself (MCP stdio shutdown). */
  async close(): Promise<void> {
    const child = this.#child;
    if (child === undefined || this.#closing) return;
    this.#closing = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.stdin?.end();
    const timer = setTimeout(() => child.kill("SIGTERM"), 2000);
    const hardTimer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
    clearTimeout(hardTimer);
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    for (;;) {
      const end = this.#buffer.indexOf("\n");
      if (end === -1) return;
      const line = this.#buffer.slice(0, end).replace(/\r$/, "");
      this.#buffer = this.#buffer.slice(end + 1);
      if (line.trim() === "") continue;
      try {
        this.#events?.onMessage(parseJsonRpc(line));
      } catch {
        // Not a protocol message: a misbehaving server printed to stdout. Skip the line.
      }
    }
  }
}
