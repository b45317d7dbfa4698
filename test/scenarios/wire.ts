/**
 * What a spec scenario talks to: one client session on one transport, at the level of raw
 * JSON-RPC messages, so a scenario checks exactly what a client receives. Each transport
 * (in-process, Streamable HTTP, stdio) implements {@link WireTransport}; {@link MessageLog}
 * holds what the server sent and lets scenarios wait for it instead of sleeping.
 */

export type Id = string | number;

/** A JSON-RPC message as a client reads it. */
export interface Message {
  jsonrpc: "2.0";
  id?: Id | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: Record<string, unknown> };
}

/** One request sent on a wire. */
export interface Call {
  readonly id: Id;
  /** Its response, once it arrives (never settles for a request that gets none). */
  readonly response: Promise<Message>;
}

/** One client session on one transport, speaking raw JSON-RPC. */
export interface Wire {
  /** The transport's name, for test titles. */
  readonly transport: string;
  /** The `initialize` result of this session. */
  readonly initialized: Record<string, unknown>;
  /** Every message the server sent in this session, in arrival order (responses included). */
  readonly log: MessageLog;
  /** Sends a request (with a fresh id unless given). */
  call(method: string, params?: Record<string, unknown>, id?: Id): Call;
  /** Sends a request and resolves with its response. */
  request(method: string, params?: Record<string, unknown>): Promise<Message>;
  /** Sends a notification. */
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
  /**
   * Resolves with the response the server sent for `call`, or `undefined` once the transport
   * proves none will come: in-process, `Session.handle` resolved without one; over HTTP, the
   * request's SSE stream ended (or the POST got 202) without one. Stdio has no per-request end,
   * so there it waits for a later message on the same stream: call it only once the request's
   * handler has settled (scenarios ask the server with the `probe` tool).
   */
  outcome(call: Call): Promise<Message | undefined>;
  /**
   * Resolves once everything the server sent before it was called has arrived, on every stream
   * of the session: a message the server sends afterwards on the session's own stream (a
   * `notifications/resources/updated` for a fresh subscription) is the proof, since it travels
   * behind anything sent before it.
   */
  barrier(): Promise<void>;
  /** A string no other scenario on this server uses (gate keys, barrier URIs). */
  key(prefix: string): string;
  close(): Promise<void>;
}

/** Opens wires on one transport to one server. */
export interface WireTransport {
  readonly name: string;
  /** Starts what the transport needs (a listening HTTP server, …). */
  start(): Promise<void>;
  /** Opens a new, initialized session. */
  open(): Promise<Wire>;
  stop(): Promise<void>;
}

interface Waiter {
  match(message: Message): boolean;
  resolve(message: Message): void;
}

/** Messages in arrival order, with waits that resolve on arrival (never on a timer). */
export class MessageLog {
  readonly messages: Message[] = [];
  readonly #waiters = new Set<Waiter>();

  add(message: Message): void {
    this.messages.push(message);
    for (const waiter of this.#waiters) {
      if (!waiter.match(message)) continue;
      this.#waiters.delete(waiter);
      waiter.resolve(message);
    }
  }

  /** The first message, received or still to come, that `match` accepts. */
  waitFor(match: (message: Message) => boolean, what = "a matching message"): Promise<Message> {
    const found = this.messages.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { match, resolve };
      this.#waiters.add(waiter);
      // Only a safety net for a broken build: a passing run never waits for this timer.
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no ${what} arrived; received: ${JSON.stringify(this.messages)}`));
      }, 5000);
      waiter.resolve = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
    });
  }

  /** The response to request `id`, once it arrives. */
  response(id: Id): Promise<Message> {
    return this.waitFor((m) => m.id === id && m.method === undefined, `response to ${String(id)}`);
  }

  /** The notifications with `method` received so far. */
  notifications(method: string): Message[] {
    return this.messages.filter((m) => m.method === method && m.id === undefined);
  }

  /** Whether a response to `id` has arrived. */
  answered(id: Id): boolean {
    return this.messages.some((m) => m.id === id && m.method === undefined);
  }
}

/** Parameters of the `initialize` request every wire sends. */
export const INITIALIZE_PARAMS = {
  protocolVersion: "2025-11-25",
  capabilities: {},
  clientInfo: { name: "spec-scenarios", version: "1.0.0" },
};
