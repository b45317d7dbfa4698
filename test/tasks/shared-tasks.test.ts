import { describe, expect, it } from "vitest";
import type { LogEntry } from "../../src/context/logger.js";
import { MemoryTaskStore } from "../../src/tasks/memory-task-store.js";
import type { SharedTaskEvent, TaskEventBus } from "../../src/tasks/task-event-bus.js";
import { type TaskActivityListener, type TaskEvent, TaskEvents } from "../../src/tasks/task-events.js";
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
  #lost: (() => void) | undefined;
  starts = 0;
  failStarts = 0;
  /** While set, what this bus publishes reaches nobody (a transport that lost it). */
  dropping = false;
  constructor(hub: Set<LoopbackBus>) {
    this.#hub = hub;
  }
  async start(deliver: (event: SharedTaskEvent) => void, lost?: () => void): Promise<void> {
    this.starts++;
    if (this.failStarts > 0) {
      this.failStarts--;
      throw new Error("bus down");
    }
    this.#deliver = deliver;
    this.#lost = lost;
    this.#hub.add(this);
  }
  /** Tells the runtime it lost events, as a transport that noticed a gap does. */
  lose(): void {
    this.#lost?.();
  }
  publish(event: SharedTaskEvent): void {
    if (this.dropping) return;
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
  return { a: runtime({ ...options, events: busA }), b: runtime({ ...options, events: busB }), busA, busB };
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

  it("after the bus lost events, reads the store: B's wait ends, its listeners get the latest state, and older events are dropped", async () => {
    const { a, b, busA, busB } = twoInstances();
    const heard: TaskEvent[] = [];
    b.on((event) => heard.push(event));
    // Progress times after the tasks' creation (their status events), a second apart.
    const start = Date.now() + 60_000;
    const at = (second: number) => new Date(start + second * 1000).toISOString();
    const ending = gated();
    const running = gated();
    const ended = await a.start({ owner: "o", toolName: "t", execute: ending.execute });
    const ongoing = await a.start({ owner: "o", toolName: "t", execute: running.execute });
    const exec = await running.execution;
    exec.progressSink.onProgress({ current: 1, reportedAt: at(1) });
    const waited = b.waitForTerminal("o", ended.taskId);
    const progressOnB = (current: number) =>
      heard.some(
        (e) => e.type === "progress" && e.task.taskId === ongoing.taskId && e.progress.current === current,
      );
    while (!progressOnB(1)) await new Promise<void>((resolve) => setImmediate(resolve));
    // What A publishes from now on is lost: a progress update and the other task's end.
    busA.dropping = true;
    exec.progressSink.onProgress({ current: 2, reportedAt: at(2) });
    ending.release.resolve();
    await a.waitForTerminal("o", ended.taskId);
    while ((await a.get("o", ongoing.taskId)).progress?.current !== 2) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    busB.lose();
    expect(await waited).toMatchObject({ status: "completed" });
    while (!progressOnB(2)) await new Promise<void>((resolve) => setImmediate(resolve));
    const endedOnB = heard.filter((e) => e.task.taskId === ended.taskId && e.type === "status");
    expect(endedOnB.map((e) => [e.task.status, e.remote])).toEqual([
      ["working", true],
      ["completed", true],
    ]);
    // An event older than what the store gave is dropped; a newer one passes.
    busA.dropping = false;
    const record = await a.get("o", ongoing.taskId);
    const late = (current: number, second: number): SharedTaskEvent => ({
      type: "progress",
      task: { ...record, lastUpdatedAt: at(second) },
      progress: { current, reportedAt: at(second) },
    });
    busA.publish(late(15, 1));
    busA.publish(late(3, 3));
    while (!progressOnB(3)) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(progressOnB(15)).toBe(false);
    running.release.resolve();
  });

  it("carries a tasks/update served by B to the ask of A's task, checked on B, never to listeners", async () => {
    const { a, b } = twoInstances();
    const heard: string[] = [];
    a.on((event) => heard.push(event.type), { logs: true });
    b.on((event) => heard.push(event.type), { logs: true });
    const work = gated();
    const task = await a.start({ owner: "o", toolName: "t", execute: work.execute });
    await work.execution;
    const asking = a.inputs
      .requestsOf("o", task.taskId, { capabilities: {} })
      .request("elicitation/create", { message: "Name?" }, new AbortController().signal, "name");
    let waiting = await b.get("o", task.taskId);
    while (waiting.status !== "input_required") {
      await new Promise<void>((resolve) => setImmediate(resolve));
      waiting = await b.get("o", task.taskId);
    }
    // Checked on B against the question on the record: nothing of a misfit goes out.
    await expect(b.inputs.deliver(task.taskId, { name: { action: "maybe" } }, waiting)).rejects.toMatchObject(
      {
        reason: "input-responses-invalid",
      },
    );
    const answer = { action: "accept", content: { name: "Ada" } };
    await b.inputs.deliver(task.taskId, { name: answer, other: { action: "decline" } }, waiting);
    expect(await asking).toEqual(answer);
    expect(heard.every((type) => type === "status" || type === "progress")).toBe(true);
    work.release.resolve();
  });
});
