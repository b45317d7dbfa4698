import type { ClientRequestHandler } from "../context/client-messages.js";
import type { LogLevel } from "../protocol/mcp-types.js";
import type { DiagnosticLogger } from "../util/diagnostics.js";
import type { OAuthClientProvider } from "./auth/oauth-provider.js";
import type { ClientTransport } from "./client-transport.js";
import type { HttpClientTransportOptions } from "./http-client-transport.js";
import type { ProgressEvent } from "./pending-requests.js";
import type { RemoteTaskState } from "./remote-task.js";
import type { StdioServerParameters } from "./stdio-client-transport.js";

/** A log message from the server (`notifications/message`). */
export interface LogMessage {
  level: LogLevel;
  logger?: string;
  data: unknown;
}

/** Options of `Client.connect`. */
export interface ClientOptions extends HttpClientTransportOptions {
  /** How this client introduces itself (default `{ name: "fastestmcp-client", version: "0.1.0" }`). */
  clientInfo?: { name: string; version: string; title?: string };
  /** Capabilities to declare (sampling, elicitation, roots …). */
  capabilities?: Record<string, unknown>;
  /**
   * OAuth for an HTTP server that asks for it (a 401 or a 403 `insufficient_scope`): the client
   * discovers the authorization server, gets a token by the provider's grant, sends it, refreshes
   * it and steps up its scopes. See docs/client.md "Authentication".
   */
  auth?: OAuthClientProvider;
  /**
   * The protocol revision: `"auto"` (default) asks `server/discover` and speaks 2026-07-28 when
   * the server offers it, else falls back to `initialize` with 2025-11-25; `"2026-07-28"` fails
   * (`unsupported-protocol-version`) instead of falling back; a 2025 revision (`"2025-11-25"`,
   * `"2025-06-18"`, `"2025-03-26"`) initializes at once, without the probe. See docs/client.md "Revisions".
   */
  protocolVersion?: "auto" | "2026-07-28" | "2025-11-25" | "2025-06-18" | "2025-03-26" | (string & {});
  /** Receives every progress notification, for every call. */
  progressHandler?: (event: ProgressEvent) => void;
  /** Receives every log message the server sends. */
  logHandler?: (message: LogMessage) => void;
  /** Receives every `notifications/tasks/status`. */
  taskStatusHandler?: (task: RemoteTaskState) => void;
  /**
   * Default idle timeout of a request in ms: how long a call may go without an answer AND without
   * progress (each progress notification restarts it). Default 60 s; 0 disables.
   */
  timeout?: number;
  /** Default hard cap on a request in ms, progress or not (default: none). */
  maxTotalTimeout?: number;
  /**
   * Ask for progress (`_meta.progressToken`) on every request, so progress keeps `timeout` alive
   * without any handler (default `true`). `false`: only calls with `onProgress` (or a client with
   * `progressHandler`) ask, for a server that mishandles the token.
   */
  requestProgress?: boolean;
  /**
   * Answers the server's `sampling/createMessage` (a tool asking your model for a completion).
   * Setting it declares the `sampling` capability.
   */
  samplingHandler?: ClientRequestHandler;
  /**
   * Answers the server's `elicitation/create` (a tool asking your user to fill in a form); return
   * `{ action: "accept", content }`, `{ action: "decline" }` or `{ action: "cancel" }`. Setting it
   * declares the `elicitation` capability.
   */
  elicitationHandler?: ClientRequestHandler;
  /**
   * Answers the server's `roots/list` (a tool asking which directories it may work in); return
   * `{ roots: [{ uri, name? }] }`. Setting it declares the `roots` capability.
   */
  rootsHandler?: ClientRequestHandler;
  /** Receives `notifications/resources/updated` for subscribed resources. */
  resourceUpdatedHandler?: (uri: string) => void;
  /** Receives `notifications/{tools,resources,prompts}/list_changed`. */
  listChangedHandler?: (list: "tools" | "resources" | "prompts") => void;
  /**
   * Where the client reports a handler of yours that threw (e.g. `progressHandler`): `console`, a
   * pino/winston adapter, or `{ warn() {}, error() {} }`. Default: one line on stderr, no stack.
   */
  logger?: DiagnosticLogger;
}

/** Options of one request. */
export interface RequestOptions {
  /**
   * Idle timeout in ms: the request is cancelled (`notifications/cancelled`) and rejects with
   * `RequestTimeoutError` (reason `request-timeout`) when neither its answer nor any progress
   * arrived for this long. Default: the client's `timeout` (60 s); 0 disables.
   */
  timeout?: number;
  /**
   * Hard cap in ms from the moment the request is sent, never extended by progress: on expiry the
   * request is cancelled and rejects with `RequestTimeoutError` (reason `request-total-timeout`).
   * Default: the client's `maxTotalTimeout` (none).
   */
  maxTotalTimeout?: number;
  /** Restart `timeout` whenever progress arrives (default true); `false` makes it a plain deadline. */
  resetTimeoutOnProgress?: boolean;
  /** Cancels the request (`notifications/cancelled`) and rejects with `CancelledError`. */
  signal?: AbortSignal;
  /** Progress of this request (and, for a task, of the whole task). */
  onProgress?: (event: ProgressEvent) => void;
}

/** Options of `callTool`. */
export interface CallToolRequestOptions extends RequestOptions {
  /** Throw a `ToolError` for `isError: true` results instead of returning them. */
  throwOnError?: boolean;
}

/** A client target: an endpoint URL, a command to launch over stdio, or a ready transport. */
export type ClientTarget = string | URL | StdioServerParameters | ClientTransport;
