import { isFastestMcpError } from "../../errors.js";
import { isProtocolError, ProtocolError } from "../../protocol/protocol-error.js";
import type { Session } from "../../server/session/session.js";
import type { SessionManager } from "../../server/session/session-manager.js";
import type { SharedSessions } from "../../server/session/shared-sessions.js";
import type { DiagnosticLogger } from "../../util/diagnostics.js";
import { randomUUID } from "../../util/random-uuid.js";
import type { HttpExchange } from "./exchange.js";
import { HttpSession, type HttpSessionLimits } from "./http-session.js";
import { type LogFedStream, STANDALONE } from "./log-fed-stream.js";

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
    // Claimed before the stream is opened here: a refused GET leaves nothing open.
    const claim = stream.id === STANDALONE ? await this.#claimStandalone(http, refuse) : undefined;
    if (claim === false) return;
    let known: boolean;
    try {
      known = await stream.open(afterSeq);
    } catch (error) {
      http.unfollowStream(stream);
      claim?.release();
      refuse(storeRefusal(error));
      return;
    }
    if (!known) {
      http.unfollowStream(stream);
      claim?.release();
      refuse(
        new ProtocolError(
          "unknown-event-id",
          `Unknown Last-Event-ID: its stream ${stream.id} is no longer kept.`,
        ),
      );
      return;
    }
    const writer = exchange.startSse(http.sseHeaders);
    writer.onClose(() => {
      http.unfollowStream(stream);
      claim?.release();
    });
    if (claim !== undefined) claim.keep(writer);
    stream.attach(writer);
  }

  /**
   * Claims the session's one standalone stream, cluster-wide (a message goes on one stream only:
   * a second standalone GET, on any instance, is refused 409 as on one instance), and returns how
   * to keep the claim while the stream is open and let it go when it closes; false after refusing.
   */
  async #claimStandalone(
    http: HttpSession,
    refuse: (error: ProtocolError) => void,
  ): Promise<{ keep(writer: { end(): void }): void; release(): void } | false> {
    const { directory } = this.#shared;
    const sessionId = http.session.id;
    const holder = `${this.#streamPrefix}${randomUUID()}`;
    let claimed: boolean;
    try {
      claimed = await directory.claimStandalone(sessionId, holder, STANDALONE_CLAIM_MS);
    } catch (error) {
      refuse(storeRefusal(error));
      return false;
    }
    if (!claimed) {
      refuse(new ProtocolError("stream-conflict"));
      return false;
    }
    let timer: ReturnType<typeof setInterval> | undefined;
    const logger = this.#logger;
    return {
      keep(writer) {
        // Renewed well within its TTL; an instance that dies lets it lapse, freeing the session's stream.
        timer = setInterval(() => {
          directory.claimStandalone(sessionId, holder, STANDALONE_CLAIM_MS).then(
            (still) => {
              if (!still) writer.end();
            },
            (error: unknown) => logger.warn("could not renew a standalone stream's claim", { error }),
          );
        }, STANDALONE_CLAIM_MS / 3);
        (timer as { unref?(): void }).unref?.();
      },
      release() {
        clearInterval(timer);
        directory.releaseStandalone(sessionId, holder).catch((error: unknown) => {
          logger.warn("could not release a standalone stream's claim", { error });
        });
      },
    };
  }
}

/**
 * How long a standalone stream's claim lasts without renewal: a stream on an instance that died
 * blocks a new one for at most this long.
 */
const STANDALONE_CLAIM_MS = 15_000;

/** The wire refusal for a failure of the shared sessions' store (other errors are rethrown). */
export function storeRefusal(error: unknown): ProtocolError {
  if (isProtocolError(error)) return error;
  if (isFastestMcpError(error) && error.code.startsWith("FMCP_ERR_STORE_")) {
    return new ProtocolError("session-store-unreachable", undefined, undefined, { cause: error });
  }
  throw error;
}
