/** The CLI's exit codes (docs/cli.md, "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** The tool answered with `isError: true`, or the task failed or was cancelled elsewhere. */
  toolError: 1,
  /** Bad command line: unknown command or flag, missing argument, a value the schema refuses. */
  usage: 2,
  /** The server could not be reached, broke the protocol, or answered with a JSON-RPC error. */
  connection: 3,
  /** Ctrl-C: 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;

/** A mistake on the command line: printed with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * The exit code for an error a command threw: 2 for the command line, else 3: whatever else
 * escapes a command is a failure to talk to the server (refused connection, a server process that
 * would not start, a JSON-RPC error, a broken stream).
 */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? EXIT.usage : EXIT.connection;
}
