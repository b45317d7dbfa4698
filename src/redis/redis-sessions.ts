import { FastestMcpError } from "../errors.js";
import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import { randomUUID } from "../util/random-uuid.js";
import { loadRedisDriver, type RedisClient } from "./redis-driver.js";
import { redisError } from "./redis-errors.js";
import { CONNECTION_DEFAULTS, redactedUrl } from "./redis-options.js";
import {
  changeArgs,
  type LoggedEvent,
  type LoggedReplay,
  parseLoggedEvent,
  recordArgs,
  recordFromFields,
  replayFromReply,
  type StoredSession,
  type StoredSessionChange,
  type StoredSessionSignal,
} from "./redis-session-records.js";
import { SESSION_SCRIPTS, type SessionScriptName } from "./redis-session-scripts.js";

/** Options of {@link RedisSessions}. */
export interface RedisSessionsOptions {
  /** A `redis://` or `rediss://` URL; two connections are opened (one for pub/sub). */
  url: string;
  /** What every key and channel starts with (default `"fastestmcp:"`). */
  prefix?: string;
  /**
   * SSE events kept per session for `Last-Event-ID` replay on any instance, over all its streams
   * (default 1,000); the oldest go first.
   */
  maxReplayEvents?: number;
  /** Characters of messages kept per session for replay (default 4 MiB); the oldest go first. */
  maxReplayBytes?: number;
  /** Extra ioredis options for both connections (`tls`, `username`, …). */
  redisOptions?: Record<string, unknown>;
  /** Where lost pub/sub messages and failed writes are reported (default: a line on stderr). */
  logger?: DiagnosticLogger;
}

/** What the sessions use of ioredis beyond {@link RedisClient}. */
interface PubSubClient extends RedisClient {
  publish(channel: string, message: string): Promise<number>;
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  on(event: "message", listener: (channel: string, message: string) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

/**
 * The 2025-11-25 sessions of several instances in Redis (a server's `SessionDirectory`, from
 * `redisBackend`): records in hashes with a sliding idle expiry, changes and signals on one
 * pub/sub channel, each session's SSE events in a bounded stream with a channel of its own. Every
 * write is a Lua script (see redis-session-scripts.ts), so a record, its indexes and the message
 * announcing a change always agree. Pub/sub delivers at most once: a message sent while an
 * instance's subscriber connection is away is lost to it (a replica may then keep old state
 * until it is looked up again; a stream it followed misses live events, which stay replayable).
 */
export class RedisSessions {
  readonly instanceId = randomUUID();
  readonly prefix: string;
  readonly #client: PubSubClient;
  readonly #subscriber: PubSubClient;
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #logger: DiagnosticLogger;
  readonly #where: string;
  readonly #signals: string;
  readonly #followers = new Map<string, Set<(event: LoggedEvent) => void>>();
  #onSignal: ((signal: StoredSessionSignal) => void) | undefined;
  #lastConnectionError: Error | undefined;
  #closed = false;

  /** @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for bad options, `FMCP_ERR_STORE_DRIVER_MISSING` without ioredis. */
  constructor(options: RedisSessionsOptions) {
    const invalid = (message: string) => new FastestMcpError("FMCP_ERR_OPTION_INVALID", message);
    if (typeof options?.url !== "string" || !/^rediss?:\/\//.test(options.url)) {
      throw invalid(
        `RedisSessions url must start with redis:// or rediss://, got ${JSON.stringify(options?.url)}.`,
      );
    }
    const prefix = options.prefix ?? "fastestmcp:";
    if (typeof prefix !== "string" || prefix.length === 0)
      throw invalid("RedisSessions prefix must be a non-empty string.");
    this.prefix = prefix;
    this.#maxEvents = options.maxReplayEvents ?? 1000;
    this.#maxBytes = options.maxReplayBytes ?? 4 * 1024 * 1024;
    for (const [name, value] of [
      ["maxReplayEvents", this.#maxEvents],
      ["maxReplayBytes", this.#maxBytes],
    ] as const) {
      if (!Number.isInteger(value) || value < 1 || value > 1_000_000_000) {
        throw invalid(
          `RedisSessions option ${name} must be an integer from 1 to 1000000000, got ${String(value)}.`,
        );
      }
    }
    this.#logger = options.logger ?? stderrLogger;
    this.#where = redactedUrl(options.url);
    this.#signals = `${prefix}sessions`;
    const Redis = loadRedisDriver();
    const base = { ...CONNECTION_DEFAULTS, ...options.redisOptions };
    // Commands of one turn go out in one write: a flush of SSE events is one round trip.
    this.#client = new Redis(options.url, { ...base, enableAutoPipelining: true }) as PubSubClient;
    // A SUBSCRIBE fails as a command does while Redis is away; ioredis subscribes again on reconnect.
    this.#subscriber = new Redis(options.url, base) as PubSubClient;
    this.#client.on("error", (error: Error) => {
      this.#lastConnectionError = error;
    });
    this.#subscriber.on("error", () => undefined);
    this.#subscriber.on("message", (channel: string, message: string) => this.#onMessage(channel, message));
    for (const [name, definition] of Object.entries(SESSION_SCRIPTS))
      this.#client.defineCommand(name, definition);
  }

  async start(onSignal: (signal: StoredSessionSignal) => void): Promise<void> {
    this.#onSignal = onSignal;
    try {
      await this.#subscriber.subscribe(this.#signals);
    } catch (error) {
      throw this.#error(error);
    }
  }

  async save(record: StoredSession, idleMs: number): Promise<void> {
    await this.#run("fastestmcpSessionSave", record.id, record.id, idleMs, ...recordArgs(record));
  }

  async load(sessionId: string): Promise<StoredSession | undefined> {
    return recordFromFields(sessionId, (await this.#run("fastestmcpSessionLoad", sessionId)) as string[]);
  }

  async update(sessionId: string, change: StoredSessionChange): Promise<void> {
    const [field, value] = changeArgs(change);
    const signal = JSON.stringify({ type: "changed", sessionId, origin: this.instanceId, change });
    await this.#run("fastestmcpSessionUpdate", sessionId, sessionId, field, value, signal);
  }

  async touch(sessionId: string): Promise<void> {
    await this.#run("fastestmcpSessionTouch", sessionId, sessionId);
  }

  async claimStandalone(sessionId: string, holder: string, ttlMs: number): Promise<boolean> {
    return (await this.#run("fastestmcpSessionClaimGet", sessionId, holder, ttlMs)) === 1;
  }

  async releaseStandalone(sessionId: string, holder: string): Promise<void> {
    await this.#run("fastestmcpSessionReleaseGet", sessionId, holder);
  }

  async remove(sessionId: string): Promise<boolean> {
    return (await this.#run("fastestmcpSessionRemove", sessionId, sessionId, this.instanceId)) === 1;
  }

  async expireIdle(sessionId: string, idleMs: number): Promise<boolean> {
    return (await this.#run("fastestmcpSessionExpire", sessionId, sessionId, this.instanceId, idleMs)) === 1;
  }

  async signal(signal: StoredSessionSignal): Promise<void> {
    this.#assertOpen();
    try {
      await this.#client.publish(this.#signals, JSON.stringify(signal));
    } catch (error) {
      throw this.#error(error);
    }
  }

  async notify(
    audience: { readonly owner: string } | { readonly resource: string },
    message: string,
    exclude: readonly string[],
  ): Promise<number> {
    const [key, field] =
      "owner" in audience
        ? [`so:${audience.owner}`, "tk"]
        : [`sr:${audience.resource}`, `r:${audience.resource}`];
    const call = this.#script("fastestmcpSessionNotify");
    try {
      return (await call(
        `${this.prefix}${key}`,
        this.prefix,
        message,
        this.#maxEvents,
        this.#maxBytes,
        field,
        ...exclude,
      )) as number;
    } catch (error) {
      throw this.#error(error);
    }
  }

  async append(
    sessionId: string,
    stream: string,
    seq: number | undefined,
    message: string,
    end: boolean,
  ): Promise<number> {
    // Events of requests still finishing while the server closes have nobody left to read them.
    if (this.#closed) return -1;
    const bounds = [this.#maxEvents, this.#maxBytes];
    const args = [stream, seq ?? "", message, end ? "1" : "0", ...bounds];
    try {
      return (await this.#run("fastestmcpSessionAppend", sessionId, sessionId, ...args)) as number;
    } catch (error) {
      if (this.#closed) return -1;
      throw error;
    }
  }

  async read(sessionId: string, stream: string, afterSeq: number | undefined): Promise<LoggedReplay> {
    const reply = await this.#run("fastestmcpSessionRead", sessionId, sessionId, stream, afterSeq ?? "");
    return replayFromReply(stream, reply as [number, number, number, string[]]);
  }

  markDelivered(sessionId: string, stream: string, seq: number): void {
    if (this.#closed) return;
    this.#run("fastestmcpSessionDelivered", sessionId, sessionId, stream, seq).catch((error: unknown) => {
      if (!this.#closed)
        this.#logger.warn("could not record what a shared session's stream delivered", { error });
    });
  }

  async follow(sessionId: string, listener: (event: LoggedEvent) => void): Promise<() => void> {
    let listeners = this.#followers.get(sessionId);
    if (listeners === undefined) {
      listeners = new Set();
      this.#followers.set(sessionId, listeners);
    }
    listeners.add(listener);
    const channel = this.#eventsChannel(sessionId);
    const stop = (): void => {
      const current = this.#followers.get(sessionId);
      if (current === undefined || !current.delete(listener) || current.size > 0) return;
      this.#followers.delete(sessionId);
      if (!this.#closed) this.#subscriber.unsubscribe(channel).catch(() => undefined);
    };
    try {
      // Redis answers SUBSCRIBE after every message published before it: none later is missed.
      await this.#subscriber.subscribe(channel);
    } catch (error) {
      stop();
      throw this.#error(error);
    }
    return stop;
  }

  /** Stops the signals and closes both connections. Later calls do nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#followers.clear();
    this.#subscriber.disconnect();
    if (this.#client.status === "ready") await this.#client.quit().catch(() => undefined);
    this.#client.disconnect();
  }

  #onMessage(channel: string, payload: string): void {
    if (channel === this.#signals) {
      let signal: StoredSessionSignal;
      try {
        signal = JSON.parse(payload) as StoredSessionSignal;
      } catch (error) {
        this.#logger.error("skipped a session signal that is not JSON", { channel, error });
        return;
      }
      this.#onSignal?.(signal);
      return;
    }
    const sessionId = channel.slice(this.prefix.length + 2, -":events".length);
    const listeners = this.#followers.get(sessionId);
    const event = listeners === undefined ? undefined : parseLoggedEvent(payload);
    if (event === undefined) return;
    for (const listener of listeners ?? []) listener(event);
  }

  #eventsChannel(sessionId: string): string {
    return `${this.prefix}s:${sessionId}:events`;
  }

  #script(name: SessionScriptName): ScriptCall {
    this.#assertOpen();
    const call = (this.#client as unknown as Record<SessionScriptName, ScriptCall>)[name];
    return (...args) => call.call(this.#client, ...args);
  }

  async #run(name: SessionScriptName, sessionId: string, ...args: Array<string | number>): Promise<unknown> {
    const call = this.#script(name);
    try {
      return await call(`${this.prefix}s:${sessionId}`, this.prefix, ...args);
    } catch (error) {
      throw this.#error(error);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new FastestMcpError("FMCP_ERR_STORE_UNREACHABLE", "RedisSessions is closed.");
  }

  #error(error: unknown): FastestMcpError {
    return redisError(error, this.#where, this.#lastConnectionError);
  }
}
