const NEWLINE = 0x0a;

const utf8 = new TextDecoder();

/** What a {@link LineSplitter} reports to its owner. */
export interface LineSplitterHooks {
  /** One complete line, decoded, without its `\n` (a trailing `\r` is left for the owner). */
  onLine(line: string): void;
  /** The current line grew past `maxLineBytes`: its bytes are dropped up to the next newline. */
  onOverflow(maxLineBytes: number): void;
  /** Turns bytes into text (default: a shared UTF-8 `TextDecoder`; Node's `Buffer#toString` is faster there). */
  decode?(bytes: Uint8Array): string;
  /** Checked before each line of a chunk: `false` stops reading the rest of it (the owner closed). */
  accepting?(): boolean;
}

/**
 * @internal Splits a byte stream into newline-delimited lines, for both ends of stdio: the
 * server's transport and the client's. Linear in the input: a chunk is searched for newlines in
 * place, and only a line that spans chunks is copied (once, when it ends). Splitting on bytes, not
 * on decoded text, keeps a multi-byte character cut between chunks intact and lets a line be
 * measured (and refused) before it is decoded.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #hooks: LineSplitterHooks;
  readonly #decode: (bytes: Uint8Array) => string;
  /** Pieces of the line being read (several when it spans chunks). */
  #parts: Uint8Array[] = [];
  #partBytes = 0;
  /** The current line went over the cap: drop bytes until the next newline. */
  #skipping = false;

  constructor(maxLineBytes: number, hooks: LineSplitterHooks) {
    this.#maxLineBytes = maxLineBytes;
    this.#hooks = hooks;
    this.#decode = hooks.decode ?? ((bytes) => utf8.decode(bytes));
  }

  /** Feeds one chunk: every line it completes goes to `onLine`; the unfinished tail waits for the next. */
  push(chunk: Uint8Array): void {
    let start = 0;
    while (start <= chunk.length && (this.#hooks.accepting?.() ?? true)) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.#skipping && end > start) {
        if (this.#partBytes + (end - start) > this.#maxLineBytes) {
          this.#skipping = true;
          this.#parts = [];
          this.#partBytes = 0;
          this.#hooks.onOverflow(this.#maxLineBytes);
        } else {
          this.#parts.push(chunk.subarray(start, end));
          this.#partBytes += end - start;
        }
      }
      if (newline === -1) return;
      if (this.#skipping) this.#skipping = false;
      else this.#hooks.onLine(this.#take());
      start = newline + 1;
    }
  }

  /** The input ended: a last line without a newline still counts. */
  end(): void {
    if (!this.#skipping && this.#partBytes > 0) this.#hooks.onLine(this.#take());
    this.#skipping = false;
  }

  #take(): string {
    const parts = this.#parts;
    let bytes: Uint8Array;
    if (parts.length === 1) bytes = parts[0] as Uint8Array;
    else {
      bytes = new Uint8Array(this.#partBytes);
      let offset = 0;
      for (const part of parts) {
        bytes.set(part, offset);
        offset += part.length;
      }
    }
    this.#parts = [];
    this.#partBytes = 0;
    return this.#decode(bytes);
  }
}
