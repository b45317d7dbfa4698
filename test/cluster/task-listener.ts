/**
 * A 2026-07-28 `subscriptions/listen` stream naming some tasks, opened on one chosen instance
 * (our `Client` has no listen API yet, so this speaks the wire): it collects the
 * `notifications/tasks` the instance sends, whichever instance runs the task, and lets a test wait
 * for one. Read with `eventsource-parser`, as the client reads SSE.
 */
import { createParser } from "eventsource-parser";

const VERSION = "2026-07-28";
const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";
const PROGRESS_KEY = "dev.fastestmcp/progress";

/** A `notifications/tasks` payload: the task's full state (`DetailedTask`). */
export interface TaskNotice {
  taskId: string;
  status: string;
  statusMessage?: string;
  _meta?: Record<string, unknown>;
}

/** The numeric progress a notice carries under FastestMCP's vendor `_meta` key. */
export function progressOf(
  notice: TaskNotice,
): { current: number; total?: number; message?: string } | undefined {
  return notice._meta?.[PROGRESS_KEY] as { current: number; total?: number; message?: string } | undefined;
}

export class TaskListener {
  /** Every `notifications/tasks` so far, in order. */
  readonly notices: TaskNotice[] = [];
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #ended = false;
  #reading: Promise<void> | undefined;
  readonly #decoder = new TextDecoder();
  readonly #parser = createParser({
    onEvent: ({ data }) => {
      if (data === "") return; // a priming event
      const message = JSON.parse(data) as { method?: string; params?: TaskNotice };
      if (message.method === "notifications/tasks" && message.params !== undefined) {
        this.notices.push(message.params);
      }
    },
  });

  private constructor(response: Response) {
    if (response.body === null) throw new Error("the listen answer has no body");
    this.#reader = response.body.getReader();
  }

  /** POSTs `subscriptions/listen` for `taskIds` to `url` (one instance's endpoint). */
  static async open(url: string, taskIds: readonly string[]): Promise<TaskListener> {
    const _meta = {
      "io.modelcontextprotocol/protocolVersion": VERSION,
      "io.modelcontextprotocol/clientCapabilities": { extensions: { [TASKS_EXTENSION]: {} } },
    };
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": VERSION,
        "mcp-method": "subscriptions/listen",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: "listen",
        method: "subscriptions/listen",
        params: { notifications: { taskIds }, _meta },
      }),
    });
    if (!response.ok)
      throw new Error(`subscriptions/listen: HTTP ${response.status} ${await response.text()}`);
    return new TaskListener(response);
  }

  /**
   * Resolves with the first notice `match` accepts, among those so far or the next ones; rejects
   * when the stream ends without one.
   */
  async next(match: (notice: TaskNotice) => boolean): Promise<TaskNotice> {
    for (;;) {
      const found = this.notices.find(match);
      if (found !== undefined) return found;
      if (this.#ended) throw new Error(`the listen stream ended; notices: ${JSON.stringify(this.notices)}`);
      this.#reading ??= this.#readMore().finally(() => {
        this.#reading = undefined;
      });
      await this.#reading;
    }
  }

  /** Closes the stream, as a client leaving does. */
  async close(): Promise<void> {
    this.#ended = true;
    await this.#reader.cancel().catch(() => undefined);
  }

  async #readMore(): Promise<void> {
    const { done, value } = await this.#reader.read();
    if (done) this.#ended = true;
    else this.#parser.feed(this.#decoder.decode(value, { stream: true }));
  }
}
