import { type Call, type Id, INITIALIZE_PARAMS, type Message, MessageLog, type Wire } from "./wire.js";

let keys = 0;

/**
 * What every transport's wire shares: ids, the initialize handshake, answering the server's own
 * requests (`ping`, as a client must), and the barrier. A transport only moves messages.
 */
export abstract class BaseWire implements Wire {
  abstract readonly transport: string;
  readonly log = new MessageLog();
  initialized: Record<string, unknown> = {};
  #nextId = 0;

  /**
   * Sends one message. A request's promise resolves once it is on its way (its answer arrives
   * through {@link receive}); a notification's or response's once the server took it.
   */
  protected abstract transmit(message: Message): Promise<void>;

  /** Resolves once the transport shows that request `id` gets no more messages (see {@link Wire.outcome}). */
  protected abstract exchangeOver(id: Id): Promise<void>;

  abstract close(): Promise<void>;

  /** Handles one message from the server: logs it, and answers the server's requests. */
  protected receive(message: Message): void {
    this.log.add(message);
    if (message.method === undefined || message.id === undefined || message.id === null) return;
    // A client answers ping at once (basic/utilities/ping); the scenarios make no other server requests.
    const answer =
      message.method === "ping"
        ? { jsonrpc: "2.0" as const, id: message.id, result: {} }
        : {
            jsonrpc: "2.0" as const,
            id: message.id,
            error: { code: -32601, message: `The scenario client does not handle ${message.method}.` },
          };
    void this.transmit(answer).catch(() => undefined);
  }

  /** The initialize handshake: `initialize`, then `notifications/initialized`. */
  async handshake(): Promise<void> {
    const response = await this.request("initialize", INITIALIZE_PARAMS);
    if (response.result === undefined) throw new Error(`initialize failed: ${JSON.stringify(response)}`);
    this.initialized = response.result;
    await this.notify("notifications/initialized");
  }

  call(method: string, params?: Record<string, unknown>, id: Id = `r${++this.#nextId}`): Call {
    // The exchange's own failure (a refused POST, a broken pipe) shows as a missing response.
    void this.transmit({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) }).catch(() => undefined);
    const log = this.log;
    // Waited for only when asked: a cancelled request's response must not be awaited by default.
    return {
      id,
      get response() {
        return log.response(id);
      },
    };
  }

  request(method: string, params?: Record<string, unknown>): Promise<Message> {
    return this.call(method, params).response;
  }

  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    return this.transmit({ jsonrpc: "2.0", method, ...(params ? { params } : {}) });
  }

  async outcome(call: Call): Promise<Message | undefined> {
    await this.exchangeOver(call.id);
    return this.log.messages.find((m) => m.id === call.id && m.method === undefined);
  }

  async barrier(): Promise<void> {
    // The scenario server serves scenario://watch/{name} and its notify-updated tool announces a
    // change to it: the notification leaves after everything the server sent before.
    const uri = `scenario://watch/${this.key("barrier")}`;
    const subscribed = await this.request("resources/subscribe", { uri });
    if (subscribed.error !== undefined) throw new Error(`barrier: ${JSON.stringify(subscribed.error)}`);
    await this.request("tools/call", { name: "notify-updated", arguments: { uri } });
    await this.log.waitFor(
      (m) => m.method === "notifications/resources/updated" && m.params?.uri === uri,
      `barrier ${uri}`,
    );
  }

  key(prefix: string): string {
    return `${prefix}-${this.transport}-${++keys}`;
  }
}
