import { CancelledError } from "../errors.js";
import type { DiagnosticLogger } from "../util/diagnostics.js";
import { FinishedWatcher } from "./finished-watcher.js";
import type { LocalTasks } from "./local-tasks.js";
import { type PollTerminalOptions, pollTerminal } from "./poll-terminal.js";
import type { SharedTaskEvent, TaskEventBus } from "./task-event-bus.js";
import type { TaskEvents } from "./task-events.js";
import type { TaskRecord } from "./task-record.js";
import { isTerminalStatus } from "./task-status.js";
import type { TaskStore } from "./task-store.js";

/**
 * With an event bus, the store is still read, this many times less often than
 * `storePollIntervalMs`: a safety net for an event lost while the bus was away, not the way news
 * arrives.
 */
export const BUS_FALLBACK_FACTOR = 10;

/** What {@link SharedTasks} works with: the runtime's own parts. */
export interface SharedTasksParts {
  store: TaskStore;
  events: TaskEvents;
  local: LocalTasks;
  bus: TaskEventBus | undefined;
  storePollIntervalMs: number;
  logger: DiagnosticLogger;
}

/**
 * What a task runtime does about the other instances sharing its store: it stops a handler
 * running here when another instance ended its task (a `tasks/cancel` served there), and wakes a
 * wait here for a task another instance runs when it ends. With an event bus both take about one
 * round trip (the bus delivers the other instances' events, re-emitted here as `remote`), and the
 * store is read only as a fallback; without one, the store is read every `storePollIntervalMs`.
 */
export class SharedTasks {
  readonly #parts: SharedTasksParts;
  readonly #watcher: FinishedWatcher;
  /** Wakes of the waits for tasks that run elsewhere, by task id. */
  readonly #wakes = new Map<string, Set<() => void>>();
  /** Settles once the bus delivers everything published from then on; undefined until asked. */
  #listening: Promise<void> | undefined;
  #stopped = false;

  constructor(parts: SharedTasksParts) {
    this.#parts = parts;
    this.#watcher = new FinishedWatcher(
      parts.store,
      this.#pollMs(),
      (taskIds) => this.#finishedElsewhere(taskIds),
      parts.logger,
    );
  }

  /**
   * Resolves once nothing another instance does from now on can go unnoticed: the store's
   * finished log is watched and the bus delivers. Rejects only when the store cannot be read; a
   * bus that cannot start is reported and asked again next time (the store's fallback covers it).
   * `undefined` when the store is not shared and there is no bus.
   */
  ready(): Promise<void> | undefined {
    const watching = this.#watcher.start();
    // Not shared (no finished log, no bus): nothing to wait for, so no suspension per task created.
    if (watching === undefined && this.#parts.bus === undefined) return undefined;
    return Promise.all([watching, this.listen()]).then(() => undefined);
  }

  /**
   * Waits for a task running elsewhere to become terminal: woken by its terminal status event
   * (from the bus, or a cancel served here), else reading the store every `interval`.
   */
  async waitElsewhere(
    get: () => Promise<TaskRecord>,
    options: Omit<PollTerminalOptions, "subscribe">,
  ): Promise<TaskRecord> {
    if (this.#parts.bus === undefined) return pollTerminal(get, options);
    await this.listen();
    const interval = Math.max(options.interval, this.#pollMs());
    return pollTerminal(get, {
      ...options,
      interval,
      subscribe: (wake) => this.#subscribe(options.taskId, wake),
    });
  }

  /** A task reached a terminal status here or elsewhere: the waits for it read it now. */
  ended(taskId: string): void {
    const wakes = this.#wakes.get(taskId);
    if (wakes !== undefined) for (const wake of [...wakes]) wake();
  }

  stop(): void {
    this.#stopped = true;
    this.#watcher.stop();
  }

  #pollMs(): number {
    const { bus, storePollIntervalMs } = this.#parts;
    return bus === undefined ? storePollIntervalMs : storePollIntervalMs * BUS_FALLBACK_FACTOR;
  }

  /**
   * Starts the bus's delivery (once; again after it failed to start). Resolves, never rejects,
   * once it delivers or failed to start (reported to the logger).
   */
  listen(): Promise<void> {
    const { bus, logger } = this.#parts;
    if (bus === undefined || this.#stopped) return Promise.resolve();
    this.#listening ??= bus
      .start((event) => this.#remote(event))
      .catch((error: unknown) => {
        logger.error("could not start the task event bus; reading the store instead", { error });
        this.#listening = undefined;
      });
    return this.#listening;
  }

  #subscribe(taskId: string, wake: () => void): () => void {
    let wakes = this.#wakes.get(taskId);
    if (wakes === undefined) {
      wakes = new Set();
      this.#wakes.set(taskId, wakes);
    }
    wakes.add(wake);
    return () => {
      wakes.delete(wake);
      if (wakes.size === 0 && this.#wakes.get(taskId) === wakes) this.#wakes.delete(taskId);
    };
  }

  /** Another instance's event: announced here, and a terminal status acts as one served here. */
  #remote(event: SharedTaskEvent): void {
    const remote = { ...event, remote: true as const };
    this.#parts.events.deliverRemote(remote);
    if (remote.type !== "status" || !isTerminalStatus(remote.task.status)) return;
    const { taskId } = remote.task;
    this.ended(taskId);
    // A cancel served elsewhere (or a lease that ran out): the handler here stops.
    const local = this.#parts.local.get(taskId);
    if (local === undefined || !local.running || local.finishing) return;
    this.#parts.local.abort(taskId, endedError(remote.task));
  }

  /** Tasks another process ended, found in the store's finished log: stop their handlers here. */
  async #finishedElsewhere(taskIds: string[]): Promise<void> {
    const { local, store, events } = this.#parts;
    for (const taskId of taskIds) {
      const running = local.get(taskId);
      if (running === undefined || !running.running || running.finishing) continue;
      const record = await store.get(taskId);
      if (record === undefined || !isTerminalStatus(record.status)) continue;
      local.abort(taskId, endedError(record));
      // Without a bus (or when it lost the event), this is how the sessions here hear of it.
      events.deliverRemote({ type: "status", task: record });
      this.ended(taskId);
    }
  }
}

function endedError(record: TaskRecord): CancelledError {
  const why = record.statusMessage ?? record.status;
  return new CancelledError(`Task ${record.taskId} was ${record.status}: ${why}`);
}
