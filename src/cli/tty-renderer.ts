import type { CliStream } from "./io.js";
import { type BarState, barLine } from "./progress-format.js";
import type { ProgressUpdate, Renderer } from "./renderer.js";

const CSI = "\x1b[";
const HIDE_CURSOR = `${CSI}?25l`;
const SHOW_CURSOR = `${CSI}?25h`;
/** Redraws this often while a bar runs, so elapsed time and ETA move between updates. */
const TICK_MS = 1000;

/**
 * Live bars on a terminal, hand-written ANSI: a live region of one line per running bar at the
 * bottom, redrawn in place (cursor up, clear to end of screen, rewrite); lines printed above it
 * scroll away normally. The whole job is three escape sequences, which a rendering library
 * (log-update, cli-progress) would bring along with a dependency tree.
 */
export class TtyRenderer implements Renderer {
  readonly #out: CliStream;
  readonly #now: () => number;
  readonly #bars = new Map<string, BarState>();
  /** Lines of the live region on screen; the cursor sits at the end of its last line. */
  #drawn = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #cursorHidden = false;

  constructor(out: CliStream, now: () => number = Date.now) {
    this.#out = out;
    this.#now = now;
  }

  progress(key: string, label: string, update: ProgressUpdate): void {
    const now = this.#now();
    const bar = this.#bars.get(key) ?? { label, startedAt: update.since ?? now };
    bar.progress = update.progress;
    bar.total = update.total;
    if (update.message !== undefined) bar.message = update.message;
    if (update.progress !== undefined) bar.first ??= { at: now, progress: update.progress };
    this.#bars.set(key, bar);
    this.#timer ??= setInterval(() => this.#redraw(""), TICK_MS);
    this.#timer.unref?.();
    this.#redraw("");
  }

  line(text: string): void {
    this.#redraw(`${text}\n`);
  }

  finish(key: string): void {
    const bar = this.#bars.get(key);
    if (bar === undefined) return;
    this.#bars.delete(key);
    bar.endedAt = this.#now();
    // The finished bar leaves the live region and stays on screen as an ordinary line.
    this.#redraw(`${barLine(bar, bar.endedAt, this.#width())}\n`);
  }

  close(): void {
    for (const key of [...this.#bars.keys()]) this.finish(key);
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#cursorHidden) this.#out.write(SHOW_CURSOR);
    this.#cursorHidden = false;
  }

  /** Clears the live region, writes `above` (whole lines) and draws the region again, in one write. */
  #redraw(above: string): void {
    let chunk = "";
    if (this.#drawn > 0) chunk += `\r${this.#drawn > 1 ? `${CSI}${this.#drawn - 1}A` : ""}${CSI}J`;
    chunk += above;
    const now = this.#now();
    const lines = [...this.#bars.values()].map((bar) => barLine(bar, now, this.#width()));
    chunk += lines.join("\n");
    this.#drawn = lines.length;
    if (lines.length > 0 && !this.#cursorHidden) {
      chunk = HIDE_CURSOR + chunk;
      this.#cursorHidden = true;
    }
    if (chunk !== "") this.#out.write(chunk);
  }

  /** One column short of the terminal: writing into the last column wraps on some terminals. */
  #width(): number {
    return (this.#out.columns ?? 80) - 1;
  }
}
