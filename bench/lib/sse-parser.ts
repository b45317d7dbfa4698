/**
 * A minimal incremental SSE parser: feed it decoded text chunks, it calls `onData` with the
 * `data` of each complete event (multi-line data joined with "\n"). Comments, `id`, `event` and
 * `retry` fields are skipped; events with no data (priming events) are not reported.
 *
 * It works event by event (search for the blank line, then for `data:` lines inside the event)
 * rather than line by line, so the common one-data-line event costs two searches and one slice:
 * the client must stay cheaper than the fastest server it measures.
 */
export class SseParser {
  readonly #onData: (data: string) => void;
  #buffer = "";
  /** The previous chunk ended in CR: a LF starting this one belongs to the same line end. */
  #pendingCr = false;

  constructor(onData: (data: string) => void) {
    this.#onData = onData;
  }

  push(chunk: string): void {
    // CR and CRLF line ends are legal SSE; normalise them once per chunk (our servers send LF).
    let text = chunk;
    if (this.#pendingCr && text.startsWith("\n")) text = text.slice(1);
    this.#pendingCr = text.endsWith("\r");
    if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
    const buffer = this.#buffer === "" ? text : this.#buffer + text;
    let start = 0;
    for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n", start)) {
      this.#event(buffer, start, end);
      start = end + 2;
    }
    this.#buffer = start === 0 ? buffer : buffer.slice(start);
  }

  /** One event: the lines of `buffer` from `start` up to (not including) `end`. */
  #event(buffer: string, start: number, end: number): void {
    let data: string | undefined;
    let line = start;
    while (line < end) {
      let lineEnd = buffer.indexOf("\n", line);
      if (lineEnd === -1 || lineEnd > end) lineEnd = end;
      if (buffer.startsWith("data:", line)) {
        const from = buffer.charCodeAt(line + 5) === 32 ? line + 6 : line + 5;
        const value = buffer.slice(from, lineEnd);
        data = data === undefined ? value : `${data}\n${value}`;
      }
      line = lineEnd + 1;
    }
    if (data !== undefined && data !== "") this.#onData(data);
  }
}
