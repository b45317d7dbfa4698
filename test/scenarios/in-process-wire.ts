import type { FastestMCP } from "../../src/index.js";
import { BaseWire } from "./base-wire.js";
import type { Id, Message, Wire, WireTransport } from "./wire.js";

type Session = ReturnType<FastestMCP["sessions"]["create"]>;
type Handled = Parameters<Session["handle"]>[0];

/**
 * A session opened in-process, as every transport opens one: messages go straight to
 * `Session.handle`, the dispatch HTTP and stdio use. Messages are JSON round-tripped both ways,
 * so a scenario sees what a client on a wire would.
 */
class InProcessWire extends BaseWire {
  readonly transport = "in-process";
  readonly #server: FastestMCP;
  readonly #session: Session;
  /** Each request's `Session.handle`, settled once its response (or none) is known. */
  readonly #exchanges = new Map<Id, Promise<void>>();

  constructor(server: FastestMCP) {
    super();
    this.#server = server;
    this.#session = server.sessions.create({
      send: (message) => this.receive(JSON.parse(JSON.stringify(message)) as Message),
    });
  }

  protected transmit(message: Message): Promise<void> {
    const handled = this.#session.handle(JSON.parse(JSON.stringify(message)) as Handled).then((response) => {
      if (response !== undefined) this.receive(JSON.parse(JSON.stringify(response)) as Message);
    });
    if (message.method === undefined || message.id === undefined || message.id === null) return handled;
    this.#exchanges.set(message.id, handled);
    return Promise.resolve();
  }

  protected async exchangeOver(id: Id): Promise<void> {
    await this.#exchanges.get(id);
  }

  async close(): Promise<void> {
    await this.#server.sessions.end(this.#session.id);
  }
}

/** Sessions opened in-process on `server`. */
export function inProcessTransport(server: FastestMCP): WireTransport {
  return {
    name: "in-process",
    start: async () => undefined,
    open: async (): Promise<Wire> => {
      const wire = new InProcessWire(server);
      await wire.handshake();
      return wire;
    },
    stop: async () => undefined,
  };
}
