import { describe, expect, it } from "vitest";
import { MemoryTaskStore } from "../../src/tasks/memory-task-store.js";
import type { TaskEvent } from "../../src/tasks/task-events.js";
import { TaskRuntime } from "../../src/tasks/task-runtime.js";
import type { TaskStore } from "../../src/tasks/task-store.js";
import { createDeferred } from "../../src/util/deferred.js";
import { runtimesClosedAfterEach } from "./runtimes.js";

const runtime = runtimesClosedAfterEach();

/** A memory store that logs every write it receives, in order. */
function loggingStore(): { store: TaskStore; writes: string[] } {
  const writes: string[] = [];
  const store = new MemoryTaskStore();
  const updateProgress = store.updateProgress.bind(store);
  const complete = store.complete.bind(store);
  store.updateProgress = async (updates) => {
    writes.push(`progress ${updates.map((u) => u.progress.current).join(",")}`);
    return updateProgress(updates);
  };
  store.complete = async (taskId, patch, bytes, quota) => {
    writes.push(`${patch.status} progress=${patch.progress?.current}`);
    return complete(taskId, patch, bytes, quota);
  };
  return { store, writes };
}

const report = (current: number) => ({ current, total: 5, reportedAt: new Date().toISOString() });

describe("task progress writes", () => {
  it("coalesces per task (latest wins) and writes the pending ones of every task in one batch", async () => {
    const { store, writes } = loggingStore();
    const tasks = runtime({ store, progressFlushMs: 20 });
    const stored = new Promise<void>((resolve) => {
      tasks.on((event) => {
        if (event.type === "progress" && event.progress.current === 3) resolve();
      });
    });
    const gates = [0, 1].map(() => createDeferred<void>());
    for (const gate of gates) {
      await tasks.start({
        owner: "o",
        toolName: "t",
        execute: async ({ progressSink }) => {
          for (let i = 1; i <= 3; i++) progressSink.onProgress(report(i));
          await gate.promise;
          return { result: { content: [] } };
        },
      });
    }
    await stored;
    expect(writes).toEqual(["progress 3,3"]);
    for (const gate of gates) gate.resolve();
  });

  it("writes the final progress with the terminal status, never after it", async () => {
    const { store, writes } = loggingStore();
    const tasks = runtime({ store, progressFlushMs: 1000 });
    const events: string[] = [];
    tasks.on((event: TaskEvent) =>
      events.push(event.type === "progress" ? `progress ${event.progress.current}` : event.task.status),
    );
    const task = await tasks.start({
      owner: "o",
      toolName: "t",
      execute: async ({ progressSink }) => {
        for (let i = 1; i <= 5; i++) progressSink.onProgress(report(i));
        return { result: { content: [] } };
      },
    });
    const done = await tasks.waitForTerminal("o", task.taskId, 5000);
    expect(done).toMatchObject({ status: "completed", progress: { current: 5 } });
    expect(writes).toEqual(["completed progress=5"]);
    expect(events).toEqual(["working", "progress 5", "completed"]);
  });

  it("reads a progress event's record back only while a progress listener is subscribed", async () => {
    const store = new MemoryTaskStore();
    const reads: string[] = [];
    const get = store.get.bind(store);
    store.get = async (taskId) => {
      reads.push(taskId);
      return get(taskId);
    };
    const tasks = runtime({ store, progressFlushMs: 0 });
    const statuses: string[] = [];
    tasks.on((event) => statuses.push(`${event.type} ${event.task.status}`), { progress: false });
    const gate = createDeferred<void>();
    const stored = createDeferred<void>();
    const flushed = createDeferred<void>();
    const updateProgress = store.updateProgress.bind(store);
    store.updateProgress = async (writes) => {
      const answers = await updateProgress(writes);
      flushed.resolve();
      return answers;
    };
    const task = await tasks.start({
      owner: "o",
      toolName: "t",
      execute: async ({ progressSink }) => {
        progressSink.onProgress(report(1));
        await stored.promise;
        progressSink.onProgress(report(2));
        await gate.promise;
        return { result: { content: [] } };
      },
    });
    await flushed.promise;
    expect(reads).toEqual([]);
    expect((await tasks.get("o", task.taskId)).progress?.current).toBe(1);
    const events: TaskEvent[] = [];
    const heard = createDeferred<void>();
    tasks.on((event) => {
      events.push(event);
      if (event.type === "progress") heard.resolve();
    });
    reads.length = 0;
    stored.resolve();
    await heard.promise;
    expect(reads).toEqual([task.taskId]);
    expect(events[0]).toMatchObject({
      type: "progress",
      progress: { current: 2 },
      task: { progress: { current: 2 } },
    });
    gate.resolve();
    await tasks.waitForTerminal("o", task.taskId, 5000);
    expect(statuses).toEqual(["status working", "status completed"]);
  });

  it("rejects a progressFlushMs that is not a number from 0 to 1000", () => {
    for (const bad of [-1, 1001, Number.NaN]) {
      expect(() => new TaskRuntime({ progressFlushMs: bad })).toThrow(/progressFlushMs/);
    }
  });
});

describe("per-owner bounds kept by the store", () => {
  it("holds for runtimes sharing one store: one bound per owner between them", async () => {
    const store = new MemoryTaskStore();
    const a = runtime({ store, maxTasksPerOwner: 2 });
    const b = runtime({ store, maxTasksPerOwner: 2 });
    const never = { owner: "o", toolName: "t", execute: () => new Promise<never>(() => undefined) };
    await a.start(never);
    await b.start(never);
    await expect(a.start(never)).rejects.toMatchObject({ reason: "task-limit-exceeded" });
    await expect(b.start(never)).rejects.toMatchObject({ reason: "task-limit-exceeded" });
    expect(await b.retained("o")).toEqual({ tasks: 2, unfinished: 2, resultBytes: 0 });
    const pages = [await a.list("o", { pageSize: 1 })];
    pages.push(await b.list("o", { cursor: pages[0]?.nextCursor }));
    expect(pages.flatMap((page) => page.tasks).map((task) => task.seq)).toEqual([1, 2]);
  });
});
