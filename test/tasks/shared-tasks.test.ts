import { describe, expect, it } from "vitest";
import type { LogEntry } from "../../src/context/logger.js";
import { MemoryTaskStore } from "../../src/tasks/memory-task-store.js";
import type { SharedTaskEvent, TaskEventBus } from "../../src/tasks/task-event-bus.js";
import { type TaskActivityListener, TaskEvents } from "../../src/tasks/task-events.js";
import type { TaskRecord } from "../../src/tasks/task-record.js";
import type { TaskExecution } from "../../src/tasks/task-runtime.js";
import { createDeferred } from "../../src/util/deferred.js";
import { runtimesClosedAfterEach } from "./runtimes.js";

const runtime = runtimesClosedAfterEach();

/**
 * An in-process event bus joining "instances" (runtimes on one MemoryTaskStore): each delivers
 * the others' events, after a turn of the event loop, as a transport would.
 */
class LoopbackBus implements TaskEventBus {
  readonly #hub: Set<LoopbackBus>;
  #deliver: ((event: SharedTaskEvent) => void) | undefined;
  starts = 0;
  failStarts = 0;
  constructor(hub: Set<LoopbackBus>) {
    this.#hub = hub;
  }
  async start(deliver: (event: SharedTaskEvent) => void): Promise<void> {
    this.starts++;
    if (this.failStarts > 0) {
      this.failStarts--;
      throw new Error("bus down");
    }
    this.#deliver = deliver;
    this.#hub.add(this);
  }
  publish(event: SharedTaskEvent): void {
    const copy = JSON.parse(JSON.stringify(event)) as SharedTaskEvent;
    for (const other of this.#hub) {
      if (other !== this) setImmediate(() => other.#deliver?.(copy));
    }
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {
    this.#hub.delete(this);
  }
}

function gated() {
  const release = createDeferred<void>();
  const execution = createDeferred<TaskExecution>();
  return {
    release,
    execution: execution.promise,
    execute: async (exec: TaskExecution) => {
      execution.resolve(exec);
      await Promise.race([
        release.promise,
        new Promise((_, reject) => exec.cancellation.onAbort(() => reject(exec.cancellation.reason))),
      ]);
      return { result: { content: [{ type: "text" as const, text: "v" }] } };
    },
  };
}

/** Two runtimes on one store; store polling so slow that only an event can end a wait in time. */
function twoInstances() {
  const store = new MemoryTaskStore();
  const hub = new Set<LoopbackBus>();
  const busA = new LoopbackBus(hub);
  const busB = new LoopbackBus(hub);
  const options = { store, storePollIntervalMs: 600_000 };
  return { a: runtime({ ...options, events: busA }), b: runtime({ ...options, events: busB }), busB };
}

const entry = (message: string): LogEntry => ({ level: "info", message, logger: "s", timestamp: "t" });

describe("TaskEvents with a bus", () => {
  it("forwards what it emits and the log entries it is given, never what it delivers for another instance", () => {
    const forwarded: SharedTaskEvent[] = [];
    const events = new TaskEvents(undefined, (event) => forwarded.push(event));
    const heard: Parameters<TaskActivityListener>[0][] = [];
    const record = { taskId: "t" } as TaskRecord;
    events.emit({ type: "status", task: record });
    // No listener asks for logs, yet the entry is forwarded (another instance may listen).
    const next: LogEntry[] = [];
    events.logSink("t", "o", { onLog: (e) => next.push(e) })?.onLog(entry("hi"));
    events.on((event) => heard.push(event), { logs: true });
    events.deliverRemote({ type: "log", taskId: "t", owner: "o", entry: entry("there"), remote: true });
    events.deliverRemote({ type: "status", task: record, remote: true });
    expect(forwarded.map((event) => event.type)).toEqual(["status", "log"]);
    expect(next).toEqual([entry("hi")]);
    expect(heard.map((event) => event.type)).toEqual(["log", "status"]);
  });

  it("hands back the next log sink itself when nothing forwards and nobody listens for logs", () => {
    const sink = { onLog: () => undefined };
    expect(new TaskEvents().logSink("t", "o", sink)).toBe(sink);
  });
});

describe("TaskRuntime with an event bus", () => {
  it("wakes a wait on B when A's task ends, and announces A's events on B as remote", async () => {
    const { a, b } = twoInstances();
    const heard: Parameters<TaskActivityListener>[0][] = [];
    b.on((event) => heard.push(event), { logs: true });
    const work = gated();
    const task = await a.start({ owner: "o", toolName: "t", execute: work.execute });
    const exec = await work.execution;
    exec.progressSink.onProgress({ current: 1, total: 2, reportedAt: "r" });
    a.logSink(task.taskId, "o", undefined)?.onLog(entry("working"));
    const waited = b.waitForTerminal("o", task.taskId);
    work.release.resolve();
    expect(await waited).toMatchObject({ status: "completed", result: { content: [{ text: "v" }] } });
    const ended = () => heard.some((e) => e.type === "status" && e.task.status === "completed");
    while (!ended()) await new Promise<void>((resolve) => setImmediate(resolve));
    // A log entry goes out at once; progress once stored (the flusher's next batch).
    expect(heard.map((event) => event.type)).toEqual(["status", "log", "progress", "status"]);
    expect(heard.every((event) => event.remote === true)).toBe(true);
  });

  it("aborts A's handler when B cancels its task", async () => {
    const { a, b } = twoInstances();
    const work = gated();
    const task = await a.start({ owner: "o", toolName: "t", execute: work.execute });
    const exec = await work.execution;
    const aborted = new Promise((resolve) =>
      exec.cancellation.onAbort(() => resolve(exec.cancellation.reason)),
    );
    const waitOnA = a.waitForTerminal("o", task.taskId);
    await b.cancel("o", task.taskId);
    expect(String(await aborted)).toContain("was cancelled");
    expect(await waitOnA).toMatchObject({ status: "cancelled" });
  });

  it("wakes a wait on B for A's task when B itself cancels it", async () => {
    const { a, b } = twoInstances();
    const work = gated();
    const task = await a.start({ owner: "o", toolName: "t", execute: work.execute });
    const waited = b.waitForTerminal("o", task.taskId);
    await b.cancel("o", task.taskId);
    expect(await waited).toMatchObject({ status: "cancelled" });
  });

  it("reads the store instead when the bus cannot start, and starts it on a later task", async () => {
    const store = new MemoryTaskStore();
    const bus = new LoopbackBus(new Set());
    bus.failStarts = 1;
    const errors: string[] = [];
    const logger = { warn: () => undefined, error: (message: string) => errors.push(message) };
    const tasks = runtime({ store, events: bus, logger });
    const first = gated();
    await tasks.start({ owner: "o", toolName: "t", execute: first.execute });
    expect(errors).toEqual(["could not start the task event bus; reading the store instead"]);
    await tasks.start({ owner: "o", toolName: "t", execute: gated().execute });
    expect(bus.starts).toBe(2);
    first.release.resolve();
  });
});
