import { createParser, type EventSourceMessage } from "eventsource-parser";

/** One parsed SSE event. */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
  retry?: number;
}

/** The complete events in raw SSE text (an unfinished last one is left out; comments are skipped). */
export function parseSseText(text: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  createParser({ onEvent: (event) => events.push(event) }).feed(text);
  return events;
}

/** Reads the SSE events of a fetch Response body with `eventsource-parser`, as the client does. */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  readonly #parser = createParser({
    onEvent: ({ id, event, data }) => {
      const parsed: SseEvent = { data };
      if (id !== undefined) parsed.id = id;
      if (event !== undefined) parsed.event = event;
      if (this.#retry !== undefined) parsed.retry = this.#retry;
      this.#retry = undefined;
      this.events.push(parsed);
    },
    // The parser reports `retry` on its own; it belongs to the event it came with.
    onRetry: (ms) => {
      this.#retry = ms;
    },
  });
  #retry: number | undefined;
  readonly events: SseEvent[] = [];
  #done = false;
  constructor(response: Response) {
    if (response.body === null) throw new Error("no body");
    this.#reader = response.body.getReader();
  }

  get done(): boolean {
    return this.#done;
  }

  /** Reads until `count` events arrived in total (or the stream ends); returns all events so far. */
  async until(predicate: (events: SseEvent[]) => boolean, timeoutMs = 3000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events) && !this.#done) {
      if (Date.now() > deadline) throw new Error(`timed out; events so far: ${JSON.stringify(this.events)}`);
      const timer = new Promise<"timeout">((resolve) =>
        setTimeout(() => resolve("timeout"), deadline - Date.now()),
      );
      const next = await Promise.race([this.#reader.read(), timer]);
      if (next === "timeout") continue;
      if (next.done) {
        this.#done = true;
        break;
      }
      this.#parser.feed(this.#decoder.decode(next.value, { stream: true }));
    }
    return this.events;
  }

  /** Reads to the end of the stream. */
  all(timeoutMs = 3000): Promise<SseEvent[]> {
    return this.until(() => false, timeoutMs);
  }

  /** The JSON messages among the events (priming events have empty data). */
  messages(): Array<Record<string, unknown>> {
    return this.events.filter((e) => e.data !== "").map((e) => JSON.parse(e.data));
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel();
  }
}
