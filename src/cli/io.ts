/** A stream the CLI writes to, and what it knows about the terminal behind it. */
export interface CliStream {
  write(text: string): void;
  /** A terminal: live bars may redraw in place. */
  readonly isTTY?: boolean | undefined;
  /** The terminal's width in columns, when it is one. */
  readonly columns?: number | undefined;
}

/**
 * Everything the CLI touches outside itself: the process's streams and environment in `main.ts`,
 * buffers and an `AbortController` in tests, so commands run in-process without a terminal.
 */
export interface CliIo {
  /** Results (and `--output json`). */
  readonly stdout: CliStream;
  /** Progress bars, logs, status lines and errors: stdout stays clean for scripts. */
  readonly stderr: CliStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths (`run <file>`) resolve against. */
  readonly cwd: string;
  /**
   * Aborted on Ctrl-C (SIGINT): the running command cancels its work on the server
   * (`notifications/cancelled` or `tasks/cancel`) and exits 130.
   */
  readonly interrupt: AbortSignal;
}
