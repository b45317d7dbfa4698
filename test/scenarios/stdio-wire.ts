import { PassThrough } from "node:stream";
import type { FastestMCP } from "../../src/index.js";
import { BaseWire } from "./base-wire.js";
import type { Id, Message, Wire, WireTransport } from "./wire.js";

type StdioFront = Awaited<ReturnType<FastestMCP["stdio"]>>;

/**
 * A stdio session: `server.stdio()` over a pair of in-memory streams, newline-delimited JSON as a
 * child process's stdin and stdout would carry it. One transport (one session) per wire.
 */
class StdioWire extends BaseWire {
  readonly transport = "stdio";
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  /** Lines that were not JSON: a stdio server must never write one. */
  readonly stray: string[] = [];
  front: StdioFront | undefined;
  #buffer = "";

  constructor() {
    super();
    this.output.setEncoding("utf8");
    this.output.on("data", (chunk: string) => this.#onData(chunk));
  }

  protected transmit(message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.input.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }

  // Stdio has no per-request end: a later message on the one output stream is the proof.
  protected exchangeOver(_id: Id): Promise<void> {
    return this.barrier();
  }

  async close(): Promise<void> {
    await this.front?.close();
    if (this.stray.length > 0) throw new Error(`non-JSON lines on stdout: ${this.stray.join(" | ")}`);
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    for (let end = this.#buffer.indexOf("\n"); end !== -1; end = this.#buffer.indexOf("\n")) {
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 1);
      let message: Message;
      try {
        message = JSON.parse(line) as Message;
      } catch {
        this.stray.push(line);
        continue;
      }
      this.receive(message);
    }
  }
}

/** Sessions over stdio, each on its own `server.stdio()` front. */
export function stdioTransport(server: FastestMCP): WireTransport {
  return {
    name: "stdio",
    start: async () => undefined,
    open: async (): Promise<Wire> => {
      const wire = new StdioWire();
      wire.front = await server.stdio({ input: wire.input, output: wire.output });
      await wire.handshake();
      return wire;
    },
    stop: async () => undefined,
  };
}
