import type { JsonRpcId, JsonRpcResponse } from "../../protocol/jsonrpc.js";
import type { LogLevel } from "../../protocol/mcp-types.js";
import type { ClientInfo } from "./session.js";

/**
 * A 2025-11-25 session as every instance sharing a {@link SessionDirectory} sees it: what
 * `initialize` negotiated and what the client changed since. Requests in flight, requests to the
 * client and open streams stay with the instance serving them.
 */
export interface SharedSessionRecord {
  readonly id: string;
  /** Who owns its tasks: the session id (anonymous), or the identity it is bound to under `auth`. */
  readonly owner: string;
  /** The negotiated protocol version. */
  readonly version: string;
  /** Whether that revision has MCP Tasks (so the session gets `notifications/tasks/status`). */
  readonly tasks: boolean;
  readonly clientInfo: ClientInfo | undefined;
  readonly clientCapabilities: Record<string, unknown> | undefined;
  readonly initialized: boolean;
  readonly logLevel: LogLevel;
  readonly resourceSubscriptions: readonly string[];
}

/** A change of session state the client made, written through to every instance. */
export type SessionChange =
  | { readonly field: "initialized" }
  | { readonly field: "logLevel"; readonly level: LogLevel }
  | { readonly field: "subscribe" | "unsubscribe"; readonly uri: string };

/**
 * What instances tell each other about a session, through the directory (every instance hears
 * every signal, its own included; `origin` is the {@link SessionDirectory.instanceId} that sent it).
 */
export type SessionSignal =
  | {
      readonly type: "changed";
      readonly sessionId: string;
      readonly origin: string;
      readonly change: SessionChange;
    }
  | { readonly type: "ended"; readonly sessionId: string; readonly origin: string }
  /** The client's answer to a request some instance sent it (elicitation, sampling, roots). */
  | {
      readonly type: "response";
      readonly sessionId: string;
      readonly origin: string;
      readonly message: JsonRpcResponse;
    }
  /** `notifications/cancelled` for a request some instance serves. */
  | {
      readonly type: "cancel";
      readonly sessionId: string;
      readonly origin: string;
      readonly requestId: JsonRpcId;
      readonly reason: string;
    };

/** One SSE event of a session's stream, as the event log keeps it. */
export interface SessionEvent {
  /** The SSE stream it belongs to (`"0"`: the standalone GET stream). */
  readonly stream: string;
  /** Its place in that stream: the event id is `<stream>.<seq>`. */
  readonly seq: number;
  /** The JSON-RPC message's JSON; `""` for a priming event or the end mark. */
  readonly message: string;
  /** The stream's last event (a request stream after its response): nothing follows. */
  readonly end: boolean;
}

/** What the log still holds of one stream after a given event. */
export interface StreamReplay {
  /** The log knows the stream (else a `Last-Event-ID` into it is answered as unknown). */
  readonly known: boolean;
  /** The stream has ended: after `events`, nothing more comes. */
  readonly ended: boolean;
  /** The events after the one asked for that are still kept, oldest first, one per `seq`. */
  readonly events: readonly SessionEvent[];
  /** The event the replay started after (the delivered mark when none was named). */
  readonly after: number;
}

/**
 * The SSE events of shared sessions, kept so that any instance can serve a `Last-Event-ID`
 * resumption and a stream held on one instance hears messages produced on another. Bounded per
 * session (the implementation says by what); events past the bound are lost to replay.
 */
export interface SessionEventLog {
  /**
   * Appends an event; `seq` undefined lets the log number it (the standalone stream, written by
   * every instance). Resolves with its `seq`, or -1 when the session no longer exists.
   */
  append(
    sessionId: string,
    stream: string,
    seq: number | undefined,
    message: string,
    end: boolean,
  ): Promise<number>;
  /** The events of `stream` after `afterSeq` (undefined: after the stream's delivered mark). */
  read(sessionId: string, stream: string, afterSeq: number | undefined): Promise<StreamReplay>;
  /** Records that a connection received `stream` up to `seq` (a GET without `Last-Event-ID` starts there). */
  markDelivered(sessionId: string, stream: string, seq: number): void;
  /**
   * Calls `listener` with every event appended to the session's streams from now on, until the
   * returned function is called. Resolves once nothing appended later can be missed.
   */
  follow(sessionId: string, listener: (event: SessionEvent) => void): Promise<() => void>;
}

/** Who a {@link SessionDirectory.notify} message goes to. */
export type SessionAudience =
  /** Every session of this task owner whose revision has MCP Tasks. */
  | { readonly owner: string }
  /** Every session subscribed to this resource URI. */
  | { readonly resource: string };

/**
 * Where the 2025-11-25 sessions of several instances live (the backend's `sessions`, e.g.
 * `redisBackend`): any instance answers any session's requests. The instance a request reaches
 * looks the session up once and keeps a replica; state changes are written through and the
 * other instances' replicas hear of them by {@link SessionSignal}. Every method that goes to the
 * store rejects with `FastestMcpError` `FMCP_ERR_STORE_UNREACHABLE` when it cannot be reached.
 */
export interface SessionDirectory extends SessionEventLog {
  /** This instance's id, the `origin` of its signals. */
  readonly instanceId: string;
  /** Starts delivering every instance's signals to `onSignal`; resolves once it does (called once). */
  start(onSignal: (signal: SessionSignal) => void): Promise<void>;
  /** Stores a new session, kept while it is used at least every `idleMs` (0: until it is removed). */
  save(record: SharedSessionRecord, idleMs: number): Promise<void>;
  /** The session, or undefined when it is unknown, ended or expired. */
  load(sessionId: string): Promise<SharedSessionRecord | undefined>;
  /** Writes a change through and signals it; resolves once every instance can read it. */
  update(sessionId: string, change: SessionChange): Promise<void>;
  /** Marks the session used now (its idle time starts again). */
  touch(sessionId: string): Promise<void>;
  /** Removes the session and signals `ended`; resolves true when this call removed it. */
  remove(sessionId: string): Promise<boolean>;
  /**
   * Claims the session's one standalone GET stream for `holder` for `ttlMs`, or renews
   * `holder`'s claim: false when another holder has it. A server sends each message on one
   * stream only (MCP 2025-11-25, Streamable HTTP), so a second standalone stream, on any
   * instance, is refused while the first is open.
   */
  claimStandalone(sessionId: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Lets `holder`'s claim go (its stream closed); a claim another holder took is left alone. */
  releaseStandalone(sessionId: string, holder: string): Promise<void>;
  /**
   * Removes the session (signalling `ended`) if no instance has marked it used in the last
   * `idleMs`; resolves true when this call removed it.
   */
  expireIdle(sessionId: string, idleMs: number): Promise<boolean>;
  /** Sends a `response` or `cancel` signal to every instance. */
  signal(signal: SessionSignal): Promise<void>;
  /**
   * Appends `message` to the standalone stream of each session in `audience` but those in
   * `exclude`, once each; resolves with how many.
   */
  notify(audience: SessionAudience, message: string, exclude: readonly string[]): Promise<number>;
  /** Stops the signals and releases the connections (called by the backend's `close()`). */
  close(): Promise<void>;
}
