import type { Client, RemoteTaskState } from "../../client/index.js";
import type { Command } from "../args.js";
import { EXIT } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { chooseRenderer, type Renderer } from "../renderer.js";
import { connectTarget } from "../target.js";
import { statusLine } from "./task-follow.js";

type TasksCommand = Extract<Command, { name: "tasks" }>;

const TERMINAL = new Set(["completed", "failed", "cancelled"]);
const DEFAULT_POLL_MS = 1000;

/** `fastestmcp tasks`: list, get, watch or cancel the tasks this connection's owner may see. */
export async function tasks(command: TasksCommand, io: CliIo): Promise<number> {
  const feed: { listener?: ((state: RemoteTaskState) => void) | undefined } = {};
  const client = await connectTarget(command.target, {
    taskStatusHandler: (state) => feed.listener?.(state),
  });
  try {
    const { taskId } = command;
    switch (command.action) {
      case "list":
        return print(io, command, await listAll(client));
      case "get":
        return print(io, command, [await client.getTask(taskId as string)]);
      case "cancel":
        return print(io, command, [await client.cancelTask(taskId as string)]);
      case "watch":
        return await watch(client, command, io, feed);
    }
  } finally {
    await client.close();
  }
}

function print(io: CliIo, command: TasksCommand, states: RemoteTaskState[]): number {
  if (command.output === "json") {
    const value = command.action === "list" ? states : states[0];
    io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  } else if (states.length === 0) {
    io.stdout.write("no tasks\n");
  } else {
    for (const state of states) io.stdout.write(`${statusLine(state)}\n`);
  }
  return EXIT.ok;
}

async function listAll(client: Client): Promise<RemoteTaskState[]> {
  const all: RemoteTaskState[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTasks(cursor === undefined ? {} : { cursor });
    all.push(...page.tasks);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return all;
}

/**
 * Follows every task (or one) until all are terminal: a bar per task with its status message
 * and age, a line per status change. `notifications/tasks/status` updates it at once; polling
 * (`tasks/list` or `tasks/get` at the server's `pollInterval`) is the fallback and finds new tasks.
 */
async function watch(
  client: Client,
  command: TasksCommand,
  io: CliIo,
  feed: { listener?: ((state: RemoteTaskState) => void) | undefined },
): Promise<number> {
  const renderer = chooseRenderer(io.stdout, io.env, command.plain);
  const seen = new Map<string, RemoteTaskState>();
  const update = (state: RemoteTaskState): void => {
    if (command.taskId !== undefined && state.taskId !== command.taskId) return;
    const before = seen.get(state.taskId);
    // A status notification carries no progress: the last tasks/get's stays on the bar.
    const kept =
      state.progress === undefined && before?.progress !== undefined
        ? { ...state, progress: before.progress }
        : state;
    show(renderer, before, kept);
    seen.set(state.taskId, kept);
  };
  feed.listener = update;
  const fetchAll = async (): Promise<RemoteTaskState[]> => {
    if (command.taskId !== undefined) return [await client.getTask(command.taskId)];
    // tasks/list carries no progress; tasks/get does on FastestMCP servers (a vendor _meta key),
    // so the unfinished tasks are asked one by one.
    const listed = await listAll(client);
    return Promise.all(
      listed.map((state) =>
        TERMINAL.has(state.status) ? state : client.getTask(state.taskId).catch(() => state),
      ),
    );
  };
  try {
    for (;;) {
      const states = await fetchAll();
      for (const state of states) update(state);
      if (states.length === 0) renderer.line("no tasks");
      if ([...seen.values()].every((state) => TERMINAL.has(state.status))) return EXIT.ok;
      const suggested = states.find((state) => state.pollInterval !== undefined)?.pollInterval;
      if (await interruptedDuring(suggested ?? DEFAULT_POLL_MS, io.interrupt)) return EXIT.interrupted;
    }
  } finally {
    feed.listener = undefined;
    renderer.close();
  }
}

/**
 * A line when the status changes; the bar carries the task's stored progress when the server
 * reports it (`current`/`total` on FastestMCP servers), its status message and its age.
 */
function show(renderer: Renderer, before: RemoteTaskState | undefined, state: RemoteTaskState): void {
  const { progress } = state;
  const previous = before?.progress;
  if (
    before?.status === state.status &&
    before.statusMessage === state.statusMessage &&
    previous?.current === progress?.current &&
    previous?.total === progress?.total
  ) {
    return;
  }
  if (TERMINAL.has(state.status)) {
    renderer.finish(state.taskId);
    if (before?.status !== state.status) renderer.line(statusLine(state));
    return;
  }
  const since = Date.parse(state.createdAt);
  renderer.progress(state.taskId, `task ${state.taskId}`, {
    progress: progress?.current,
    total: progress?.total,
    message: `${state.status}${state.statusMessage === undefined ? "" : ` ${state.statusMessage}`}`,
    since: Number.isNaN(since) ? undefined : since,
  });
}

/** Waits `ms`; true when Ctrl-C came first. */
function interruptedDuring(ms: number, interrupt: AbortSignal): Promise<boolean> {
  if (interrupt.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      interrupt.removeEventListener("abort", onAbort);
      resolve(false);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    interrupt.addEventListener("abort", onAbort, { once: true });
  });
}
