import type { CliStream } from "./io.js";
import { type BarState, plainProgressLine } from "./progress-format.js";
import type { ProgressUpdate, Renderer } from "./renderer.js";

/**
 * Progress as plain lines, one per update, no escape codes: for pipes, logs, CI and `grep`
 * (`progress <tool> 50% 3/6 <message>`).
 */
export class PlainRenderer implements Renderer {
  readonly #out: CliStream;

  constructor(out: CliStream) {
    this.#out = out;
  }

  progress(_key: string, label: string, update: ProgressUpdate): void {
    const state: BarState = { label, ...update, startedAt: 0 };
    this.#out.write(`${plainProgressLine(state)}\n`);
  }

  line(text: string): void {
    this.#out.write(`${text}\n`);
  }

  finish(_key: string): void {}

  close(): void {}
}
