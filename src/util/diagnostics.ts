/** Structured details of a diagnostic event, e.g. `{ method: "tools/call", error }`. */
export type LogDetails = Record<string, unknown>;

/**
 * Where FastestMCP reports what goes wrong outside a request's answer: a handler that failed
 * unexpectedly, a listener that threw, a store that could not be written, a client that broke a
 * connection. Pass one as the `logger` option of a server or client: `console`, an adapter for
 * pino or winston, or `{ warn() {}, error() {} }` to silence it.
 *
 * Levels: `error` for what looks like a bug or an outage on this side (the details carry the
 * error), `warn` for what a peer caused (bad input, a dropped connection), `info` and `debug`
 * (optional) for events an operator may want when investigating.
 */
export interface DiagnosticLogger {
  debug?(message: string, details?: LogDetails): void;
  info?(message: string, details?: LogDetails): void;
  warn(message: string, details?: LogDetails): void;
  error(message: string, details?: LogDetails): void;
}

/** Characters of one default log line, at most: a peer's value must not flood the log. */
const LINE_LIMIT = 1000;
const PREFIX = "[fastestmcp] ";

/** Control characters (a newline in a peer's value would forge a second log line). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u001f\u007f]/g;

function escapeControl(char: string): string {
  return char === "\n"
    ? "\\n"
    : char === "\r"
      ? "\\r"
      : `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * An error as one short phrase: `Name: message`, plus the protocol `reason` or the system `code`
 * when it has one. Never the stack: the default log says what happened, not where in our code.
 */
export function describeError(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const { name, message, reason, code } = error as {
    name?: unknown;
    message?: unknown;
    reason?: unknown;
    code?: unknown;
  };
  const text = `${typeof name === "string" ? name : "Error"}: ${typeof message === "string" ? message : String(error)}`;
  const tag = typeof reason === "string" ? reason : typeof code === "string" ? code : undefined;
  return tag === undefined ? text : `${text} (${tag})`;
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return describeError(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * One event as the default logger writes it: `[fastestmcp] message (key=value, …): Error: …`,
 * on one line (control characters escaped) of at most {@link LINE_LIMIT} characters.
 */
export function formatLogLine(message: string, details?: LogDetails): string {
  let line = PREFIX + message;
  if (details !== undefined) {
    const fields: string[] = [];
    for (const key in details) {
      if (key !== "error" && details[key] !== undefined) fields.push(`${key}=${describeValue(details[key])}`);
    }
    if (fields.length > 0) line += ` (${fields.join(", ")})`;
    if (details.error !== undefined) line += `: ${describeError(details.error)}`;
  }
  line = line.replace(CONTROL, escapeControl);
  return line.length <= LINE_LIMIT ? line : `${line.slice(0, LINE_LIMIT)}… (${line.length} characters)`;
}

function writeLine(message: string, details?: LogDetails): void {
  const line = formatLogLine(message, details);
  try {
    // process.stderr where there is one (Node, Bun, Deno); console.error elsewhere (Workers).
    const stderr = (globalThis as { process?: { stderr?: { write(text: string): unknown } } }).process
      ?.stderr;
    if (stderr !== undefined) stderr.write(`${line}\n`);
    else console.error(line);
  } catch {
    // A closed stderr must not turn a diagnostic into a crash.
  }
}

/**
 * The default {@link DiagnosticLogger}: one line per event on stderr, prefixed `[fastestmcp]`,
 * with the error's name and message and never a stack trace. `debug` events are dropped.
 */
export const stderrLogger: DiagnosticLogger = Object.freeze({
  info: writeLine,
  warn: writeLine,
  error: writeLine,
});

/**
 * The logger a `logger` option names, or {@link stderrLogger}.
 * @returns undefined when `value` is not a logger (the caller reports the bad option).
 */
export function resolveLogger(value: unknown): DiagnosticLogger | undefined {
  if (value === undefined) return stderrLogger;
  if (typeof value !== "object" || value === null) return undefined;
  const { warn, error } = value as { warn?: unknown; error?: unknown };
  return typeof warn === "function" && typeof error === "function" ? (value as DiagnosticLogger) : undefined;
}
