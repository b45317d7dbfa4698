import { createParser } from "eventsource-parser";

/** One dashboard event, parsed. */
export interface DashboardEventOf {
  type: string;
  data: Record<string, unknown>;
}

/**
 * Reads a dashboard event stream: `find(predicate)` resolves with the first event received that
 * matches, waiting for it to arrive (events of one stream may interleave: a log line can come
 * before the progress update reported just ahead of it).
 */
export class EventReader {
  readonly events: DashboardEventOf[] = [];
  readonly #reader: ReadableStreamDefaultReader<string>;
  readonly #parser = createParser({
    onEvent: (event) => this.events.push({ type: event.event ?? "message", data: JSON.parse(event.data) }),
  });

  constructor(response: Response) {
    if (response.body === null) throw new Error("no body");
    this.#reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  }

  async find(predicate: (event: DashboardEventOf) => boolean = () => true): Promise<DashboardEventOf> {
    for (;;) {
      const found = this.events.find(predicate);
      if (found !== undefined) return found;
      const { value, done } = await this.#reader.read();
      if (done) throw new Error("the event stream ended");
      this.#parser.feed(value);
    }
  }

  close(): Promise<void> {
    return this.#reader.cancel();
  }
}

/** The task of a `task` event, or of a log event's task id. */
export function taskOf(event: DashboardEventOf): Record<string, unknown> {
  return event.data.task as Record<string, unknown>;
}
