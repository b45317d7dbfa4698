import { isFastestMcpError } from "../../errors.js";
import { isProtocolError, ProtocolError } from "../../protocol/protocol-error.js";
import type { Session } from "../../server/session/session.js";
import type { SessionManager } from "../../server/session/session-manager.js";
import type { SharedSessions } from "../../server/session/shared-sessions.js";
import type { DiagnosticLogger } from "../../util/diagnostics.js";
import type { HttpExchange } from "./exchange.js";
import { HttpSession, type HttpSessionLimits } from "./http-session.js";
import type { LogFedStream } from "./log-fed-stream.js";

/** The most often an instance tells the directory that a session it serves is in use. */
const TOUCH_EVERY_MS = 5000;

/**
 * The Streamable HTTP transport's side of sessions shared between instances (a backend with
 * `sessions`): shares the sessions `initialize` opens here, makes the HTTP side of a replica
 * when a request names a session another instance opened, keeps the directory's idle clock
 * going (at most every few seconds per session, not per request), and serves GET streams whose
 * events come from the directory's log.
 */
export class SharedHttpSessions {
  readonly #shared: SharedSessions;
  readonly #limits: HttpSessionLimits;
  readonly #logger: DiagnosticLogger;
  readonly #idleTimeoutMs: number;
  readonly #touchEveryMs: number;
  /** Request stream ids made here start with this, so any instance can tell them apart. */
  readonly #streamPrefix: string;

  constructor(
    shared: SharedSessions,
    limits: HttpSessionLimits,
    logger: DiagnosticLogger,
    idleTimeoutMs: number,
  ) {
    this.#shared = shared;
    this.#limits = limits;
    this.#logger = logger;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#touchEveryMs = idleTimeoutMs > 0 ? Math.min(TOUCH_EVERY_MS, idleTimeoutMs / 4) : TOUCH_EVERY_MS;
    this.#streamPrefix = `${shared.directory.instanceId.slice(0, 8)}-`;
  }

  /**
   * Stores a session `initialize` just opened here and makes its streams shared ones.
   * @throws {FastestMcpError} `FMCP_ERR_STORE_UNREACHABLE` when the directory cannot be reached.
   */
  async share(http: HttpSession): Promise<void> {
    await this.#shared.share(http.session, this.#idleTimeoutMs);
    http.share(this.#shared.directory, this.#streamPrefix, this.#logger);
  }

  /**
   * The HTTP side of a session another instance opened (one lookup), added to `held`, or
   * undefined for an unknown, ended or expired id, or the refusal to answer with:
   * `session-store-unreachable` (503) or `session-limit-exceeded` (503).
   */
  async adopt(id: string, held: Map<string, HttpSession>): Promise<HttpSession | undefined | ProtocolError> {
    let session: Session | undefined;
    try {
      session = await this.#shared.adopt(id);
    } catch (error) {
      return storeRefusal(error);
    }
    if (session === undefined) return undefined;
    // Concurrent requests for one id share one replica: the first to get here makes its HTTP side.
    const made = held.get(id);
    if (made?.session === session) return made;
    const http = new HttpSession(session, this.#limits);
    session.attach(http);
    http.share(this.#shared.directory, this.#streamPrefix, this.#logger);
    held.set(id, http);
    return http;
  }

  /**
   * Closes the streams here of a session another instance ended (a DELETE or its expiry there)
   * and forgets it; returns the function that stops this.
   */
  closeEndedElsewhere(sessions: SessionManager, held: Map<string, HttpSession>): () => void {
    return sessions.onEndedElsewhere((session) => {
      const http = held.get(session.id);
      if (http?.session !== session) return;
      held.delete(session.id);
      http.disconnectAll();
    });
  }

  /** Tells the directory the session is in use, at most every few seconds. */
  touch(http: HttpSession, now: number): void {
    if (now - http.lastTouched < this.#touchEveryMs) return;
    http.lastTouched = now;
    this.#shared.directory.touch(http.session.id).catch((error: unknown) => {
      this.#logger.warn("could not mark a shared session as used", { error });
    });
  }

  /**
   * Serves a GET stream of a shared session from the directory's log: the standalone stream, or
   * a request stream another instance produces (`streamId`), after `afterSeq`. Answers 404 when
   * the log no longer knows the stream, 503 when it cannot be reached.
   */
  async serve(
    exchange: HttpExchange,
    http: HttpSession,
    stream: LogFedStream,
    afterSeq: number | undefined,
    refuse: (error: ProtocolError) => void,
  ): Promise<void> {
    let known: boolean;
    try {
      known = await stream.open(afterSeq);
    } catch (error) {
      http.unfollowStream(stream);
      refuse(storeRefusal(error));
      return;
    }
    if (!known) {
      http.unfollowStream(stream);
      refuse(
        new ProtocolError(
          "unknown-event-id",
          `Unknown Last-Event-ID: its stream ${stream.id} is no longer kept.`,
        ),
      );
      return;
    }
    const writer = exchange.startSse(http.sseHeaders);
    writer.onClose(() => http.unfollowStream(stream));
    stream.attach(writer);
  }
}

/** The wire refusal for a failure of the shared sessions' store (other errors are rethrown). */
export function storeRefusal(error: unknown): ProtocolError {
  if (isProtocolError(error)) return error;
  if (isFastestMcpError(error) && error.code.startsWith("FMCP_ERR_STORE_")) {
    return new ProtocolError("session-store-unreachable", undefined, undefined, { cause: error });
  }
  throw error;
}
