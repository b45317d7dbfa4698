import type { CliStream } from "./io.js";
import { PlainRenderer } from "./plain-renderer.js";
import { TtyRenderer } from "./tty-renderer.js";

/** Progress of one call or task, as the client hands it over. */
export interface ProgressUpdate {
  /** Undefined when only a status is known (a task watched from another session). */
  progress?: number | undefined;
  total?: number | undefined;
  message?: string | undefined;
  /** When the work started, if earlier than the first update (a task's `createdAt`). */
  since?: number | undefined;
}

/**
 * Shows progress bars (one per call or task, keyed) and lines (logs, status transitions) above
 * them: live on a terminal ({@link TtyRenderer}), one line per update elsewhere ({@link PlainRenderer}).
 */
export interface Renderer {
  /** Adds or advances the bar `key`. */
  progress(key: string, label: string, update: ProgressUpdate): void;
  /** Prints a line above the bars. */
  line(text: string): void;
  /** Ends the bar `key`: it stops counting and stays where it is, above the live ones. */
  finish(key: string): void;
  /** Ends every bar and restores the terminal. */
  close(): void;
}

/** Below this many columns a bar has no room: plain lines instead. */
const MIN_COLUMNS = 40;

/**
 * A live renderer when `stream` is a terminal that can take one, else plain lines: not a TTY,
 * `NO_COLOR` set (plain output carries no escape codes at all), `TERM=dumb`, a narrow terminal,
 * or `--plain`.
 */
export function chooseRenderer(
  stream: CliStream,
  env: Readonly<Record<string, string | undefined>>,
  plain = false,
): Renderer {
  const live =
    !plain &&
    stream.isTTY === true &&
    (env.NO_COLOR ?? "") === "" &&
    env.TERM !== "dumb" &&
    (stream.columns ?? 80) >= MIN_COLUMNS;
  return live ? new TtyRenderer(stream) : new PlainRenderer(stream);
}
