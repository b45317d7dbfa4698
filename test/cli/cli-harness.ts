import { runCli } from "../../src/cli/cli.js";
import type { CliStream } from "../../src/cli/io.js";

/** A stream that keeps what the CLI wrote and wakes whoever waits for some text in it. */
export class Captured implements CliStream {
  text = "";
  readonly isTTY: boolean;
  readonly columns: number | undefined;
  readonly #waiters: Array<{ pattern: RegExp; resolve: (match: RegExpMatchArray) => void }> = [];

  constructor(isTTY = false, columns?: number) {
    this.isTTY = isTTY;
    this.columns = columns;
  }

  write(text: string): void {
    this.text += text;
    for (const waiter of [...this.#waiters]) {
      const match = this.text.match(waiter.pattern);
      if (match === null) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(match);
    }
  }

  /** Resolves once the output matches `pattern` (the test's timeout bounds the wait). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    const match = this.text.match(pattern);
    if (match !== null) return Promise.resolve(match);
    return new Promise((resolve) => this.#waiters.push({ pattern, resolve }));
  }
}

/** One in-process run of the CLI: its exit code, its streams and the Ctrl-C it can be sent. */
export interface CliRun {
  done: Promise<number>;
  stdout: Captured;
  stderr: Captured;
  interrupt(): void;
}

/** Starts `fastestmcp <argv>` in-process, without a terminal unless `tty` says so. */
export function startCli(
  argv: string[],
  options: { env?: Record<string, string>; tty?: boolean; columns?: number } = {},
): CliRun {
  const stdout = new Captured(options.tty ?? false, options.columns);
  const stderr = new Captured(options.tty ?? false, options.columns);
  const controller = new AbortController();
  const done = runCli(argv, {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: process.cwd(),
    interrupt: controller.signal,
  });
  return { done, stdout, stderr, interrupt: () => controller.abort() };
}

/** Runs `fastestmcp <argv>` to the end. */
export async function cli(
  argv: string[],
  options?: { env?: Record<string, string>; tty?: boolean; columns?: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = startCli(argv, options);
  const code = await run.done;
  return { code, stdout: run.stdout.text, stderr: run.stderr.text };
}
