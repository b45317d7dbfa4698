import type { SseWriter } from "../transports/http/sse-writer.js";
import type { DashboardTask } from "./dashboard-task.js";
import type { BoardUpdate } from "./task-board.js";

/** One named SSE event with a JSON payload (JSON escapes line breaks: the event stays one event). */
export function dashboardEvent(type: "snapshot" | "task" | "log", data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * One viewer's event stream: the snapshot first, then the board's updates for the tasks the
 * viewer may see (`owner` undefined: all). A viewer that stops reading costs a bounded amount:
 * once its writer is congested, updates are dropped, and when it drains it gets a fresh
 * snapshot instead of the backlog.
 */
export class DashboardStream {
  readonly #writer: SseWriter;
  readonly #owner: string | undefined;
  readonly #serverName: string;
  /** Updates were dropped while congested: the next write is a snapshot. */
  #stale = false;

  constructor(writer: SseWriter, owner: string | undefined, serverName: string) {
    this.#writer = writer;
    this.#owner = owner;
    this.#serverName = serverName;
  }

  /** Sends the tasks the viewer may see now, replacing what its page shows. */
  snapshot(tasks: DashboardTask[]): void {
    this.#stale = false;
    this.#write(dashboardEvent("snapshot", { server: this.#serverName, tasks }));
  }

  /** Sends the updates the viewer may see (dropped while congested; see the class comment). */
  send(updates: readonly BoardUpdate[], current: () => DashboardTask[]): void {
    if (this.#stale) return;
    let text = "";
    for (const update of updates) {
      if (this.#owner !== undefined && update.owner !== this.#owner) continue;
      text +=
        update.type === "task"
          ? dashboardEvent("task", { change: update.change, task: update.task })
          : dashboardEvent("log", { taskId: update.taskId, line: update.line });
    }
    if (text !== "") this.#write(text, current);
  }

  /** Keeps the connection open through proxies. */
  keepAlive(): void {
    if (!this.#stale) this.#writer.write(": keepalive\n\n");
  }

  end(): void {
    this.#writer.end();
  }

  #write(text: string, current?: () => DashboardTask[]): void {
    this.#writer.write(text);
    if (this.#writer.congested !== true || current === undefined) return;
    this.#stale = true;
    this.#writer.onDrain?.(() => this.snapshot(current()));
  }
}
