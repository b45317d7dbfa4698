import { LOG_LEVELS, type LogLevel } from "../protocol/mcp-types.js";
import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import { isoNow } from "../util/iso-now.js";

/** One log entry from a handler: "what just happened?" (progress answers "how far along?"). */
export interface LogEntry {
  level: LogLevel;
  message: string;
  /** Structured details passed as the second argument. */
  data?: unknown;
  /** The logger name: the server's name. */
  logger: string;
  /** When the entry was written (ISO 8601). */
  timestamp: string;
}

/** Where log entries go: an in-process `onLog`, or a session's `notifications/message`. */
export interface LogSink {
  onLog(entry: LogEntry): void;
}

/** Numeric rank of each level, for threshold checks. */
export const LOG_LEVEL_RANK: Readonly<Record<LogLevel, number>> = Object.freeze(
  Object.fromEntries(LOG_LEVELS.map((level, index) => [level, index])) as Record<LogLevel, number>,
);

/**
 * `ctx.log`: one method per MCP logging level. Entries below `minLevel` are dropped before any
 * object is built, so debug logging costs almost nothing when nobody listens.
 */
export class Logger {
  readonly #sink: LogSink | undefined;
  readonly #name: string;
  readonly #minRank: number;
  readonly #diagnostics: DiagnosticLogger;

  /** `diagnostics` hears about a sink that throws (default: a line on stderr). */
  constructor(
    sink: LogSink | undefined,
    name: string,
    minLevel: LogLevel = "debug",
    diagnostics: DiagnosticLogger = stderrLogger,
  ) {
    this.#sink = sink;
    this.#name = name;
    this.#minRank = LOG_LEVEL_RANK[minLevel];
    this.#diagnostics = diagnostics;
  }

  /** Writes an entry at `level`. */
  log(level: LogLevel, message: string, data?: unknown): void {
    if (this.#sink === undefined || LOG_LEVEL_RANK[level] < this.#minRank) return;
    const entry: LogEntry = { level, message, logger: this.#name, timestamp: isoNow() };
    if (data !== undefined) entry.data = data;
    try {
      this.#sink.onLog(entry);
    } catch (error) {
      this.#diagnostics.error("log listener threw", { error });
    }
  }

  debug(message: string, data?: unknown): void {
    this.log("debug", message, data);
  }
  info(message: string, data?: unknown): void {
    this.log("info", message, data);
  }
  notice(message: string, data?: unknown): void {
    this.log("notice", message, data);
  }
  warning(message: string, data?: unknown): void {
    this.log("warning", message, data);
  }
  error(message: string, data?: unknown): void {
    this.log("error", message, data);
  }
  critical(message: string, data?: unknown): void {
    this.log("critical", message, data);
  }
  alert(message: string, data?: unknown): void {
    this.log("alert", message, data);
  }
  emergency(message: string, data?: unknown): void {
    this.log("emergency", message, data);
  }
}
