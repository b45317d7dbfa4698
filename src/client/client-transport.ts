import type { JsonRpcMessage } from "../protocol/jsonrpc.js";

/** What a client transport reports back to the client. */
export interface ClientTransportEvents {
  /** Every message from the server, in arrival order. */
  onMessage(message: JsonRpcMessage): void;
  /**
   * The connection is gone for good (not called after `close()`); `error` is why, e.g. a
   * `ProtocolError` with reason `transport-closed`. Requests still waiting reject with it.
   */
  onClose(error?: Error): void;
}

/** Moves JSON-RPC messages between a {@link Client} and one server. */
export interface ClientTransport {
  /**
   * The session the server assigned (Streamable HTTP's `Mcp-Session-Id`), once known; undefined
   * for transports without sessions (stdio).
   */
  readonly sessionId?: string | undefined;
  /** Connects; messages start arriving at `events`. */
  start(events: ClientTransportEvents): Promise<void>;
  /**
   * Sends one message. Rejects with a `ProtocolError` when it could not be delivered
   * (`connection-failed`, `transport-closed`) or the server refused it; a request waiting for
   * this message's answer rejects with that error.
   */
  send(message: JsonRpcMessage): Promise<void>;
  /** Called once `initialize` succeeded, with the negotiated version (HTTP opens its GET stream). */
  initialized?(protocolVersion: string): Promise<void>;
  /** Ends the connection (HTTP: DELETE of the session; stdio: ends the child). */
  close(): Promise<void>;
}
