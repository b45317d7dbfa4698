import { UsageError } from "./exit-codes.js";

/** Where the server is: an MCP endpoint URL, or a command to launch over stdio. */
export type Target = (
  | { kind: "http"; url: string; headers: Record<string, string> }
  | { kind: "stdio"; command: string; args: string[] }
) & {
  /** `--protocol-version`: the revision to speak (default 2025-11-25, see docs/cli.md). */
  protocolVersion?: string | undefined;
};

/** What `--protocol-version` takes: the client's `protocolVersion` option. */
const PROTOCOL_VERSIONS = ["auto", "2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"];

/** Output of results: human text, or the JSON result for scripts. */
export type OutputFormat = "text" | "json";

/** What the command line asked for. */
export type Command =
  | { name: "help"; topic?: string | undefined }
  | { name: "version" }
  | {
      name: "call";
      target: Target;
      tool: string;
      /** `key=value` words, coerced later by the tool's input schema. */
      assignments: string[];
      json: string | undefined;
      task: boolean;
      output: OutputFormat;
      plain: boolean;
      timeout: number;
    }
  | {
      name: "tasks";
      target: Target;
      action: "list" | "get" | "watch" | "cancel";
      taskId: string | undefined;
      output: OutputFormat;
      plain: boolean;
    }
  | { name: "inspect"; target: Target; output: OutputFormat }
  | {
      name: "run";
      file: string;
      transport: "http" | "stdio";
      port: number | undefined;
      host: string | undefined;
      dashboard: boolean | string;
    }
  | { name: "worker"; file: string; concurrency: number | undefined };

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
  json: { type: "string" },
  task: { type: "boolean" },
  output: { type: "string", short: "o" },
  header: { type: "string", short: "H", multiple: true },
  timeout: { type: "string" },
  plain: { type: "boolean" },
  http: { type: "boolean" },
  stdio: { type: "boolean" },
  port: { type: "string" },
  host: { type: "string" },
  dashboard: { type: "boolean" },
  "dashboard-path": { type: "string" },
  "protocol-version": { type: "string" },
  concurrency: { type: "string" },
} as const;

/** The flags each command takes (parseArgs knows them all; the rest are refused here). */
const FLAGS: Record<string, readonly string[]> = {
  call: ["json", "task", "output", "header", "timeout", "plain", "protocol-version"],
  tasks: ["output", "header", "plain", "protocol-version"],
  inspect: ["output", "header", "protocol-version"],
  run: ["http", "stdio", "port", "host", "dashboard", "dashboard-path"],
  worker: ["concurrency"],
};

const TASK_ACTIONS = new Set(["list", "get", "watch", "cancel"]);

/**
 * Parses the command line (without `node` and the script) with node's own `util.parseArgs`: the
 * grammar is a handful of flags and positionals, which needs no dependency. Everything after the
 * first `--` is a stdio server command.
 * @throws {UsageError} for anything it cannot make sense of.
 */
export function parseCommand(argv: readonly string[]): Command {
  const dash = argv.indexOf("--");
  const before = dash === -1 ? [...argv] : argv.slice(0, dash);
  const command = dash === -1 ? [] : argv.slice(dash + 1);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = process
      .getBuiltinModule("node:util")
      .parseArgs({ args: before, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  if (values.version === true && name === undefined) return { name: "version" };
  if (name === undefined || name === "help") return { name: "help", topic: rest[0] };
  if (values.help === true) return { name: "help", topic: name };
  const allowed = FLAGS[name];
  if (allowed === undefined) throw new UsageError(`Unknown command "${name}".`);
  for (const flag of Object.keys(values)) {
    if (!allowed.includes(flag)) throw new UsageError(`${name} takes no --${flag}.`);
  }
  if (name === "run") return runCommand(rest, values, command);
  if (name === "worker") return workerCommand(rest, values, command);
  const { target, words } = targetOf(rest, command, values.header as string[] | undefined);
  const version = values["protocol-version"] as string | undefined;
  if (version !== undefined) {
    if (!PROTOCOL_VERSIONS.includes(version)) {
      throw new UsageError(`--protocol-version is one of ${PROTOCOL_VERSIONS.join(", ")}, not "${version}".`);
    }
    target.protocolVersion = version;
  }
  const output = outputOf(values.output);
  if (name === "inspect") {
    noMore(words, "inspect");
    return { name, target, output };
  }
  if (name === "tasks") return tasksCommand(target, words, output, values.plain === true);
  const [tool, ...assignments] =
    words.length === 0 && target.kind === "stdio" ? toolAfterCommand(target) : words;
  if (tool === undefined) throw new UsageError("call needs the name of a tool.");
  return {
    name: "call",
    target,
    tool,
    assignments,
    json: values.json as string | undefined,
    task: values.task === true,
    output,
    plain: values.plain === true,
    timeout: values.timeout === undefined ? 0 : numberOf("--timeout", values.timeout as string),
  };
}

/** The target (a URL first, or the command after `--`) and the positionals left after it. */
function targetOf(
  words: string[],
  command: readonly string[],
  headerFlags: string[] | undefined,
): { target: Target; words: string[] } {
  const [first, ...rest] = words;
  if (first !== undefined && /^https?:\/\//i.test(first)) {
    if (command.length > 0) throw new UsageError("Give a URL or a command after --, not both.");
    return { target: { kind: "http", url: first, headers: headersOf(headerFlags ?? []) }, words: rest };
  }
  const [executable, ...args] = command;
  if (executable === undefined) {
    throw new UsageError("Give the server: an http(s) URL, or a command after -- (e.g. -- node server.js).");
  }
  if (headerFlags !== undefined) throw new UsageError("--header is for HTTP servers.");
  return { target: { kind: "stdio", command: executable, args }, words };
}

/** An argument assignment (`key=value`); a server flag such as `--port=3` is not one. */
const ASSIGNMENT = /^[A-Za-z_$][\w$.-]*=/;

/**
 * `call -- node server.js track steps=3`: with no tool before `--`, the tool is the last word of
 * the command that is not a `key=value` assignment, and the assignments after it are its
 * arguments. Takes them off the command (which must keep its executable).
 */
function toolAfterCommand(target: Extract<Target, { kind: "stdio" }>): string[] {
  const words = [target.command, ...target.args];
  let end = words.length;
  while (end > 0 && ASSIGNMENT.test(words[end - 1] as string)) end--;
  if (end < 2) return [];
  const taken = words.splice(end - 1);
  target.command = words[0] as string;
  target.args = words.slice(1);
  return taken;
}

function headersOf(flags: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const flag of flags) {
    const colon = flag.indexOf(":");
    if (colon <= 0) throw new UsageError(`--header "${flag}" is not "Name: value".`);
    headers[flag.slice(0, colon).trim().toLowerCase()] = flag.slice(colon + 1).trim();
  }
  return headers;
}

function tasksCommand(target: Target, words: string[], output: OutputFormat, plain: boolean): Command {
  const [action = "list", taskId, ...extra] = words;
  if (!TASK_ACTIONS.has(action)) throw new UsageError(`tasks: unknown action "${action}".`);
  if ((action === "get" || action === "cancel") && taskId === undefined) {
    throw new UsageError(`tasks ${action} needs a task id.`);
  }
  if (action === "list" && taskId !== undefined) throw new UsageError("tasks list takes no task id.");
  noMore(extra, `tasks ${action}`);
  return { name: "tasks", target, action: action as "list", taskId, output, plain };
}

function runCommand(words: string[], values: Record<string, unknown>, command: readonly string[]): Command {
  const [file, ...extra] = words;
  if (file === undefined) throw new UsageError("run needs a module file (e.g. run server.ts).");
  noMore([...extra, ...command], "run");
  if (values.http === true && values.stdio === true) throw new UsageError("Choose --http or --stdio.");
  const transport = values.stdio === true ? "stdio" : "http";
  const path = values["dashboard-path"] as string | undefined;
  const dashboard = path ?? values.dashboard === true;
  if (transport === "stdio" && (values.port !== undefined || values.host !== undefined || dashboard)) {
    throw new UsageError("--port, --host and --dashboard need --http.");
  }
  const port = values.port === undefined ? undefined : numberOf("--port", values.port as string);
  return { name: "run", file, transport, port, host: values.host as string | undefined, dashboard };
}

function workerCommand(
  words: string[],
  values: Record<string, unknown>,
  command: readonly string[],
): Command {
  const [file, ...extra] = words;
  if (file === undefined) throw new UsageError("worker needs a module file (e.g. worker server.js).");
  noMore([...extra, ...command], "worker");
  const concurrency =
    values.concurrency === undefined ? undefined : numberOf("--concurrency", values.concurrency as string);
  if (concurrency === 0) throw new UsageError("--concurrency takes a whole number >= 1.");
  return { name: "worker", file, concurrency };
}

function outputOf(value: unknown): OutputFormat {
  if (value === undefined || value === "text") return "text";
  if (value === "json") return "json";
  throw new UsageError(`--output is "text" or "json", not "${String(value)}".`);
}

function numberOf(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < 0) {
    throw new UsageError(`${flag} takes a whole number, not "${text}".`);
  }
  return value;
}

function noMore(words: readonly string[], command: string): void {
  if (words.length > 0) throw new UsageError(`${command}: unexpected "${words.join(" ")}".`);
}
