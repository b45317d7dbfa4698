/** One parsed SSE event. */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
  retry?: number;
}

/** A minimal SSE parser over a fetch Response body, for tests (the client has its own). */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";
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
      this.#buffer += this.#decoder.decode(next.value, { stream: true });
      this.#drain();
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

  #drain(): void {
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end === -1) return;
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const event: SseEvent = { data: "" };
      const data: string[] = [];
      let any = false;
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
        any = true;
        if (field === "id") event.id = value;
        else if (field === "event") event.event = value;
        else if (field === "data") data.push(value);
        else if (field === "retry") event.retry = Number(value);
      }
      if (!any) continue;
      event.data = data.join("\n");
      this.events.push(event);
    }
  }
}
