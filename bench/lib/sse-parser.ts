/**
 * A minimal incremental SSE parser: feed it decoded text chunks, it calls `onData` with the
 * `data` of each complete event (multi-line data joined with "\n"). Comments, `id`, `event` and
 * `retry` fields are skipped; events with no data (priming events) are not reported.
 */
export class SseParser {
  readonly #onData: (data: string) => void;
  #buffer = "";
  #data: string[] = [];

  constructor(onData: (data: string) => void) {
    this.#onData = onData;
  }

  push(chunk: string): void {
    this.#buffer += chunk;
    let start = 0;
    for (
      let newline = this.#buffer.indexOf("\n");
      newline !== -1;
      newline = this.#buffer.indexOf("\n", start)
    ) {
      const end = newline > start && this.#buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.#line(this.#buffer.slice(start, end));
      start = newline + 1;
    }
    this.#buffer = this.#buffer.slice(start);
  }

  #line(line: string): void {
    if (line === "") {
      if (this.#data.length > 0) {
        const data = this.#data.join("\n");
        this.#data = [];
        if (data !== "") this.#onData(data);
      }
      return;
    }
    if (line.startsWith("data:")) this.#data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
  }
}
