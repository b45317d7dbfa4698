import { Client, type ClientOptions, type LogMessage } from "../client/index.js";
import type { Target } from "./args.js";
import { cliVersion } from "./version.js";

/** Handlers a command wants on its connection. */
export type TargetHandlers = Pick<ClientOptions, "logHandler" | "taskStatusHandler">;

/**
 * Connects to the target with the public client: an HTTP endpoint (with the `--header`s), or a
 * server command over stdio, started in its own process group so a Ctrl-C at the terminal reaches
 * the CLI alone, which then cancels the work before it stops the server.
 */
export function connectTarget(target: Target, handlers: TargetHandlers = {}): Promise<Client> {
  const options: ClientOptions = {
    ...handlers,
    clientInfo: { name: "fastestmcp-cli", version: cliVersion() },
    // The CLI sets limits per call (--timeout); the handshake and listings keep the default.
    // 2025-11-25 unless --protocol-version says otherwise: `tasks list`/`watch` and the task
    // support shown by `call`/`inspect` exist on that revision only.
    protocolVersion: target.protocolVersion ?? "2025-11-25",
  };
  if (target.kind === "http") return Client.connect(target.url, { ...options, headers: target.headers });
  return Client.connect({ command: target.command, args: target.args, detached: true }, options);
}

/** A log message as one line: `log info [logger] text`. */
export function formatLog(message: LogMessage): string {
  const { data } = message;
  let text: string;
  if (typeof data === "string") text = data;
  else if (
    typeof data === "object" &&
    data !== null &&
    typeof (data as { message?: unknown }).message === "string"
  ) {
    const { message: main, ...rest } = data as { message: string };
    text = Object.keys(rest).length > 0 ? `${main} ${JSON.stringify(rest)}` : main;
  } else text = JSON.stringify(data);
  return `log ${message.level}${message.logger === undefined ? "" : ` [${message.logger}]`} ${text}`;
}
