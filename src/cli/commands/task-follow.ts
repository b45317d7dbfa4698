import type { Client, RemoteTask, RemoteTaskState } from "../../client/index.js";
import type { CallToolResult } from "../../index.js";
import type { CliIo } from "../io.js";
import type { Renderer } from "../renderer.js";

/** How following a task ended. */
export type TaskOutcome =
  | { kind: "result"; result: CallToolResult; state: RemoteTaskState | undefined }
  | { kind: "ended"; state: RemoteTaskState }
  | { kind: "interrupted"; state: RemoteTaskState | undefined };

const TERMINAL = new Set(["completed", "failed", "cancelled"]);
/** Poll interval when the server suggests none. */
const DEFAULT_POLL_MS = 1000;

/** `task <id> <status> [message]`: a status line, greppable. */
export function statusLine(state: RemoteTaskState): string {
  const message = state.statusMessage === undefined ? "" : ` ${state.statusMessage}`;
  return `task ${state.taskId} ${state.status}${message}`;
}

/**
 * Follows a task the CLI started until it ends, printing each status transition once: from
 * `notifications/tasks/status` (fed in through `statusFeed`) and from `tasks/get` polls at the
 * server's `pollInterval`, the fallback for servers that send no notifications. The result comes
 * from `tasks/result`. Ctrl-C cancels the task on the server (`tasks/cancel`).
 */
export async function followTask(
  client: Client,
  task: RemoteTask,
  renderer: Renderer,
  io: CliIo,
  statusFeed: { listener?: ((state: RemoteTaskState) => void) | undefined },
): Promise<TaskOutcome> {
  let last: string | undefined;
  const show = (state: RemoteTaskState): void => {
    if (state.taskId !== task.taskId || state.status === last) return;
    last = state.status;
    if (TERMINAL.has(state.status)) renderer.finish(task.taskId);
    renderer.line(statusLine(state));
  };
  show(task.created);
  statusFeed.listener = show;
  const stop = new AbortController();
  const interrupted = new Promise<"interrupted">((resolve) => {
    if (io.interrupt.aborted) resolve("interrupted");
    io.interrupt.addEventListener("abort", () => resolve("interrupted"), { once: true });
  });
  void poll(client, task, show, stop.signal);
  try {
    const outcome = await Promise.race([
      task.result({ signal: stop.signal }).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
      interrupted,
    ]);
    stop.abort();
    if (outcome === "interrupted") {
      const state = await client.cancelTask(task.taskId).catch(() => client.getTask(task.taskId));
      show(state);
      return { kind: "interrupted", state };
    }
    const state = await client.getTask(task.taskId).catch(() => undefined);
    if (state !== undefined) show(state);
    if ("result" in outcome) return { kind: "result", result: outcome.result, state };
    // tasks/result answered with an error: a failed or cancelled task, else a real failure.
    if (state !== undefined && TERMINAL.has(state.status)) return { kind: "ended", state };
    throw outcome.error;
  } finally {
    stop.abort();
    statusFeed.listener = undefined;
  }
}

async function poll(
  client: Client,
  task: RemoteTask,
  show: (state: RemoteTaskState) => void,
  signal: AbortSignal,
): Promise<void> {
  let interval = task.created.pollInterval ?? DEFAULT_POLL_MS;
  while (!signal.aborted) {
    await pause(interval, signal);
    if (signal.aborted) return;
    try {
      const state = await client.getTask(task.taskId, { signal });
      interval = state.pollInterval ?? interval;
      if (!signal.aborted) show(state);
    } catch {
      // A failed poll is not the task failing: tasks/result reports how it ends.
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
