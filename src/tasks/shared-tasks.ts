import { CancelledError } from "../errors.js";
import type { DiagnosticLogger } from "../util/diagnostics.js";
import { FinishedWatcher } from "./finished-watcher.js";
import type { LocalTasks } from "./local-tasks.js";
import { type PollTerminalOptions, pollTerminal } from "./poll-terminal.js";
import type { SharedTaskEvent, TaskEventBus } from "./task-event-bus.js";
import type { TaskEvent, TaskEvents } from "./task-events.js";
import type { TaskInputs } from "./task-inputs.js";
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
  inputs: TaskInputs;
  storePollIntervalMs: number;
  logger: DiagnosticLogger;
}

/** What this instance last heard of a task running elsewhere (see SharedTasks#resync). */
interface HeardOf {
  status: TaskRecord["status"];
  lastUpdatedAt: string;
}

/** How many records a resynchronisation reads at once. */
const RESYNC_READS = 500;

/**
 * What a task runtime does about the other instances sharing its store: it stops a handler
 * running here when another instance ended its task (a `tasks/cancel` served there), and wakes a
 * wait here for a task another instance runs when it ends. With an event bus both take about one
 * round trip (the bus delivers the other instances' events, re-emitted here as `remote`), and the
 * store is read only as a fallback; without one, the store is read every `storePollIntervalMs`.
 * Tasks the store ended by itself (a dead instance's, failed by a lease) are announced here as
 * this instance's own events, so they reach the other instances too. When the bus lost events,
 * the state is read back from the store (see `TaskEventBus`).
 */
export class SharedTasks {
  readonly #parts: SharedTasksParts;
  readonly #watcher: FinishedWatcher;
  /** Wakes of the waits for tasks that run elsewhere, by task id. */
  readonly #wakes = new Map<string, Set<() => void>>();
  /** Settles once the bus delivers everything published from then on; undefined until asked. */
  #listening: Promise<void> | undefined;
  /**
   * Tasks running elsewhere this instance heard of (by the bus) and has not seen end: what a
   * resynchronisation reads back. Kept only with a bus, for the other instances' tasks.
   */
  readonly #heard = new Map<string, HeardOf>();
  readonly #unwatchStore: (() => void) | undefined;
  /** The resynchronisation under way, and whether the bus lost events again meanwhile. */
  #resyncing: Promise<void> | undefined;
  #resyncAgain = false;
  #stopped = false;

  constructor(parts: SharedTasksParts) {
    this.#parts = parts;
    this.#watcher = new FinishedWatcher(
      parts.store,
      this.#pollMs(),
      (taskIds) => this.#finishedElsewhere(taskIds),
      parts.logger,
    );
    this.#unwatchStore = parts.store.onEnded?.((record) => this.#endedByStore(record));
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
    this.#unwatchStore?.();
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
      .start(
        (event) => this.#remote(event),
        () => this.#lost(),
      )
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

  /**
   * Another instance's event: announced here, and a terminal status acts as one served here.
   * Answers to input requests go to the tasks waiting here, never to listeners.
   */
  #remote(event: SharedTaskEvent): void {
    if (event.type === "input") {
      this.#parts.inputs.receive(event);
      return;
    }
    if (event.type !== "log" && !this.#hear(event)) return;
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

  /**
   * Notes what this instance heard of a task running elsewhere; `false` for an event older than
   * what a resynchronisation already delivered (it was published before the store was read). A
   * terminal status always passes (the clocks of two instances may disagree).
   */
  #hear(event: TaskEvent): boolean {
    const { taskId, status, lastUpdatedAt } = event.task;
    if (this.#parts.local.get(taskId) !== undefined) return true;
    if (isTerminalStatus(status)) {
      this.#heard.delete(taskId);
      return true;
    }
    const heard = this.#heard.get(taskId);
    if (heard === undefined) {
      this.#heard.set(taskId, { status, lastUpdatedAt });
      return true;
    }
    if (lastUpdatedAt < heard.lastUpdatedAt) return false;
    heard.status = status;
    heard.lastUpdatedAt = lastUpdatedAt;
    return true;
  }

  /** The bus lost events: one resynchronisation at a time, and one more if it loses more meanwhile. */
  #lost(): void {
    if (this.#resyncing !== undefined) {
      this.#resyncAgain = true;
      return;
    }
    this.#resyncing = this.#resync()
      .catch((error: unknown) => this.#parts.logger.error("could not resynchronise task events", { error }))
      .finally(() => {
        this.#resyncing = undefined;
        if (this.#resyncAgain) {
          this.#resyncAgain = false;
          this.#lost();
        }
      });
  }

  /**
   * The bus lost events (see `TaskEventBus`): every wait for a task elsewhere reads the store
   * now, the finished log is read now (handlers here whose task ended elsewhere stop), and every
   * task elsewhere this instance heard of is read back and, where it changed, announced.
   */
  async #resync(): Promise<void> {
    if (this.#stopped) return;
    for (const taskId of [...this.#wakes.keys()]) this.ended(taskId);
    this.#watcher.pollNow();
    const taskIds = [...this.#heard.keys()];
    for (let from = 0; from < taskIds.length; from += RESYNC_READS) {
      const batch = taskIds.slice(from, from + RESYNC_READS);
      const records = await Promise.all(
        batch.map((taskId) => this.#parts.store.get(taskId).catch(() => null)),
      );
      for (const [index, record] of records.entries()) this.#readBack(batch[index] as string, record);
    }
  }

  /** Announces what changed of a task elsewhere since this instance last heard of it. */
  #readBack(taskId: string, record: TaskRecord | undefined | null): void {
    const heard = this.#heard.get(taskId);
    if (record === null || heard === undefined) return; // unreadable now, or its event came meanwhile
    if (record === undefined) {
      this.#heard.delete(taskId); // deleted or expired: nothing left to announce
      return;
    }
    const { result: _result, ...task } = record;
    const newer = task.lastUpdatedAt > heard.lastUpdatedAt;
    // The latest progress first, as the runtime announces it before a terminal status.
    if (newer && task.progress !== undefined) {
      this.#parts.events.deliverRemote({ type: "progress", task, progress: task.progress, remote: true });
    }
    if (task.status !== heard.status || isTerminalStatus(task.status)) this.#remote({ type: "status", task });
    else if (newer) heard.lastUpdatedAt = task.lastUpdatedAt;
  }

  /**
   * The store ended a task by itself (a dead instance's, failed when its lease ran out, by a
   * beat of this instance): announced as this instance's own status event, so the waits and
   * listeners here and, through the bus, on every other instance hear of it at once.
   */
  #endedByStore(record: TaskRecord): void {
    if (this.#stopped) return;
    const { taskId } = record;
    this.#heard.delete(taskId);
    this.#parts.events.emit({ type: "status", task: record });
    this.ended(taskId);
    const local = this.#parts.local.get(taskId);
    if (local?.running && !local.finishing) {
      this.#parts.local.abort(taskId, endedError(record));
    }
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
