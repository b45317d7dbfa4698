import type { DiagnosticLogger } from "../../util/diagnostics.js";
import type { RequestGuardOptions } from "./request-guard.js";

/** Options of the Streamable HTTP endpoint. */
export interface StreamableHttpOptions extends RequestGuardOptions {
  /** The endpoint path (default `/mcp`). */
  path?: string;
  /** Largest accepted request body in bytes (default 4 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Events kept per SSE stream for `Last-Event-ID` replay (default 256). */
  replayBufferSize?: number;
  /** Finished request streams kept per session for replay (default 32). */
  retainedStreams?: number;
  /**
   * Characters (bytes, for ASCII JSON) of non-progress events held for one SSE connection whose
   * client does not read (default 4 MiB); past it the connection is closed and the client resumes
   * with `Last-Event-ID`. Progress for such a connection coalesces to its latest value instead.
   */
  maxStreamBufferBytes?: number;
  /**
   * Characters of SSE text one session keeps for `Last-Event-ID` replay (default 16 MiB); past it
   * the oldest finished streams go first, then the oldest events.
   */
  maxReplayBytesPerSession?: number;
  /** The `retry` delay suggested to clients in the priming event, in ms (default 1000). */
  retryMs?: number;
  /**
   * Interval of keep-alive comments on open SSE streams, in ms (default 25 s; 0 disables): a
   * session's, and a 2026-07-28 request's answered as SSE (a `subscriptions/listen` stream).
   */
  keepAliveMs?: number;
  /** Answer requests with JSON even when the client accepts SSE (default false). */
  jsonResponse?: boolean;
  /**
   * Answer with JSON a request that completes before the next event-loop turn without streaming
   * anything first (default true); set false to always open an SSE stream when the client accepts one.
   */
  immediateJson?: boolean;
  /**
   * Ends sessions that sent nothing for this many ms and have no open stream, request in flight or
   * running task (default 30 minutes; 0 keeps sessions until DELETE or shutdown).
   */
  sessionIdleTimeoutMs?: number;
  /**
   * Where failures no response carries are reported (a broken request body, an unexpected error).
   * Default: the server's `logger` for the `FastestMCP` fronts, else one line per event on stderr.
   */
  logger?: DiagnosticLogger;
}
