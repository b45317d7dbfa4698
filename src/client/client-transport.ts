import type { JsonRpcId, JsonRpcMessage } from "../protocol/jsonrpc.js";

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

/** What a client adds to one message it sends. */
export interface SendOptions {
  /**
   * Headers for this message alone (2026-07-28's `Mcp-Param-*`, mirrored from a tool's
   * arguments); transports without headers ignore them.
   */
  headers?: Record<string, string> | undefined;
}

/** Moves JSON-RPC messages between a {@link Client} and one server. */
export interface ClientTransport {
  /** The session id the server assigned (Streamable HTTP's `Mcp-Session-Id`), once it did; none on stdio. */
  readonly sessionId?: string | undefined;
  /** Connects; messages start arriving at `events`. */
  start(events: ClientTransportEvents): Promise<void>;
  /**
   * Sends one message. Rejects with a `ProtocolError` when it could not be delivered
   * (`connection-failed`, `transport-closed`) or the server refused it; a request waiting for
   * this message's answer rejects with that error.
   */
  send(message: JsonRpcMessage, options?: SendOptions): Promise<void>;
  /**
   * The client speaks the stateless revision `protocolVersion` (2026-07-28) from now on, or, with
   * `undefined`, no longer (it fell back to `initialize`). HTTP then sends that revision's headers
   * (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`) and cancels by closing a request's response.
   */
  useStatelessRevision?(protocolVersion: string | undefined): void;
  /**
   * Cancels a request in flight the stateless way: closes its connection (the server aborts its
   * handler). Returns false when it cannot, and the client sends `notifications/cancelled`.
   */
  cancel?(requestId: JsonRpcId): boolean;
  /** Called once `initialize` succeeded, with the negotiated version (HTTP opens its GET stream). */
  initialized?(protocolVersion: string): Promise<void>;
  /** Ends the connection (HTTP: DELETE of the session; stdio: ends the child). */
  close(): Promise<void>;
}
