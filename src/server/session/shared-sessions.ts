import { CancelledError } from "../../errors.js";
import type { JsonRpcId, JsonRpcResponse } from "../../protocol/jsonrpc.js";
import type { DiagnosticLogger } from "../../util/diagnostics.js";
import { randomUUID } from "../../util/random-uuid.js";
import type { Session, SessionMirror } from "./session.js";
import type {
  SessionAudience,
  SessionChange,
  SessionDirectory,
  SessionSignal,
  SharedSessionRecord,
} from "./session-directory.js";

/** What {@link SharedSessions} needs of the session manager: its local map of sessions. */
export interface SharedSessionHost {
  /** The session held here, if any. */
  get(id: string): Session | undefined;
  /** Makes and registers a replica of a stored session. @throws {SessionLimitError} at `maxSessions`. */
  replica(record: SharedSessionRecord): Session;
  /** Another instance ended the session: drop it here (its requests here are aborted). */
  endedElsewhere(session: Session): void;
}

/**
 * This instance's side of the sessions shared through a backend's {@link SessionDirectory}:
 * stores a session after `initialize`, makes a local replica of one another instance opened
 * (one lookup, then none while it is held), writes the client's state changes through, and acts
 * on the other instances' signals (a change, an end, the client's answer to a request sent from
 * here, a cancellation of a request served here). It is every shared session's {@link SessionMirror}.
 */
export class SharedSessions implements SessionMirror {
  readonly directory: SessionDirectory;
  readonly #host: SharedSessionHost;
  readonly #logger: DiagnosticLogger;
  /** Lookups in progress, so concurrent requests for one unknown id share one round trip. */
  readonly #adopting = new Map<string, Promise<Session | undefined>>();
  /** Numbers this instance's requests to clients apart from every other instance's. */
  readonly #outboundPrefix = `s${randomUUID().slice(0, 8)}-`;
  #started: Promise<void> | undefined;

  constructor(directory: SessionDirectory, host: SharedSessionHost, logger: DiagnosticLogger) {
    this.directory = directory;
    this.#host = host;
    this.#logger = logger;
  }

  /** Starts hearing the other instances' signals (once; again after a failed start). */
  start(): Promise<void> {
    this.#started ??= this.directory
      .start((signal) => this.#onSignal(signal))
      .catch((error: unknown) => {
        this.#started = undefined;
        throw error;
      });
    return this.#started;
  }

  /**
   * Stores a session that `initialize` just opened here, to be kept while it is used at least
   * every `idleMs`, and makes this its mirror.
   * @throws {FastestMcpError} `FMCP_ERR_STORE_UNREACHABLE` when the directory cannot be reached.
   */
  async share(session: Session, idleMs: number): Promise<void> {
    await this.start();
    await this.directory.save(recordOf(session), idleMs);
    this.#mirror(session);
  }

  /**
   * The session held here, else a replica of the stored one (one lookup), else undefined for an
   * unknown, ended or expired id.
   * @throws {FastestMcpError} `FMCP_ERR_STORE_UNREACHABLE`; {@link SessionLimitError} at `maxSessions`.
   */
  adopt(id: string): Promise<Session | undefined> {
    const held = this.#host.get(id);
    if (held !== undefined) return Promise.resolve(held);
    let adopting = this.#adopting.get(id);
    if (adopting === undefined) {
      adopting = this.#adopt(id).finally(() => this.#adopting.delete(id));
      this.#adopting.set(id, adopting);
    }
    return adopting;
  }

  changed(session: Session, change: SessionChange): Promise<void> {
    return this.directory.update(session.id, change);
  }

  forwardResponse(session: Session, message: JsonRpcResponse): void {
    this.#signal({ type: "response", sessionId: session.id, origin: this.directory.instanceId, message });
  }

  forwardCancel(session: Session, requestId: JsonRpcId, reason: string): void {
    const origin = this.directory.instanceId;
    this.#signal({ type: "cancel", sessionId: session.id, origin, requestId, reason });
  }

  /** Sends `message` (JSON) once to each session of `audience` but `exclude`, wherever its stream is. */
  notify(audience: SessionAudience, message: string, exclude: readonly string[] = []): void {
    this.directory.notify(audience, message, exclude).catch((error: unknown) => {
      this.#logger.error("could not notify shared sessions", { audience, error });
    });
  }

  async #adopt(id: string): Promise<Session | undefined> {
    await this.start();
    const record = await this.directory.load(id);
    if (record === undefined) return undefined;
    // Another request may have made it while this one waited.
    const held = this.#host.get(id);
    if (held !== undefined) return held;
    const session = this.#host.replica(record);
    this.#mirror(session);
    return session;
  }

  #mirror(session: Session): void {
    session.mirror = this;
    session.outboundPrefix = this.#outboundPrefix;
  }

  #signal(signal: SessionSignal): void {
    this.directory.signal(signal).catch((error: unknown) => {
      this.#logger.error("could not pass a message on to the other instances", { type: signal.type, error });
    });
  }

  #onSignal(signal: SessionSignal): void {
    const session = this.#host.get(signal.sessionId);
    if (session === undefined || session.mirror !== this) return;
    const own = signal.origin === this.directory.instanceId;
    switch (signal.type) {
      case "changed":
        if (!own) session.applyChange(signal.change);
        return;
      case "ended":
        this.#host.endedElsewhere(session);
        return;
      case "response":
        if (!own) session.settleOutbound(signal.message);
        return;
      case "cancel": {
        // Here only: a cancellation is passed on once, by the instance it reached.
        const reason = `Request ${signal.requestId} was cancelled: ${signal.reason}`;
        if (!own) session.inflightRequest(signal.requestId)?.cancel(new CancelledError(reason));
        return;
      }
    }
  }
}

/** What the directory keeps of a session. */
export function recordOf(session: Session): SharedSessionRecord {
  return {
    id: session.id,
    owner: session.owner,
    version: session.revision?.version ?? "",
    tasks: session.revision?.tasks === true,
    clientInfo: session.clientInfo,
    clientCapabilities: session.clientCapabilities,
    initialized: session.initialized,
    logLevel: session.logLevel,
    resourceSubscriptions: [...session.resourceSubscriptions],
  };
}
