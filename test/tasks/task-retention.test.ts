import { describe, expect, it, vi } from "vitest";
import { MemoryTaskStore } from "../../src/tasks/memory-task-store.js";
import { TaskLimitError, TaskNotFoundError, TaskResultTooLargeError } from "../../src/tasks/task-errors.js";
import { type StartTaskRequest, type TaskRunOutcome, TaskRuntime } from "../../src/tasks/task-runtime.js";
import { createDeferred, type Deferred } from "../../src/util/deferred.js";
import { rejection } from "../rejection.js";
import { runtimesClosedAfterEach } from "./runtimes.js";

const runtime = runtimesClosedAfterEach();

/** A result whose JSON text is exactly `bytes` long. */
function resultOf(bytes: number): TaskRunOutcome {
  const overhead = JSON.stringify({ content: [{ type: "text", text: "" }] }).length;
  const text = "x".repeat(bytes - overhead);
  return { local: { ok: true, value: text }, result: { content: [{ type: "text", text }] } };
}

/** Starts a task that finishes with `bytes` of result when its gate is released. */
async function startGated(tasks: TaskRuntime, bytes: number, owner = "o") {
  const gate: Deferred<void> = createDeferred();
  const request: StartTaskRequest = {
    owner,
    toolName: "t",
    execute: async () => {
      await gate.promise;
      return resultOf(bytes);
    },
  };
  const record = await tasks.start(request);
  return {
    taskId: record.taskId,
    /** Lets the task finish and waits until it is terminal. */
    finish: async () => {
      gate.resolve();
      return tasks.waitForTerminal(owner, record.taskId, 5000);
    },
  };
}

/** Whether `get` still finds the task; a missing one must answer exactly like an expired one. */
async function exists(tasks: TaskRuntime, taskId: string, owner = "o"): Promise<boolean> {
  try {
    await tasks.get(owner, taskId);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(TaskNotFoundError);
    return false;
  }
}

describe("task retention per owner", () => {
  it("keeps at most maxTasksPerOwner tasks, evicting the longest-finished first", async () => {
    const store = new MemoryTaskStore();
    const tasks = runtime({ store, maxTasksPerOwner: 3 });
    const a = await startGated(tasks, 100);
    const b = await startGated(tasks, 100);
    const c = await startGated(tasks, 100);
    // B finishes before A: B has waited longest for its client, so it goes first.
    await b.finish();
    await a.finish();
    const d = await startGated(tasks, 100);
    expect(await exists(tasks, b.taskId)).toBe(false);
    expect(await exists(tasks, a.taskId)).toBe(true);
    const e = await startGated(tasks, 100);
    expect(await exists(tasks, a.taskId)).toBe(false);
    expect(await tasks.retained("o")).toMatchObject({ tasks: 3, unfinished: 3 });
    expect(store.size).toBe(3);
    // Evicted records are gone from the store too, and answer like expired ones.
    expect(await store.get(b.taskId)).toBeUndefined();
    for (const task of [c, d, e]) expect(await exists(tasks, task.taskId)).toBe(true);
  });

  it("never evicts unfinished tasks: with all of them unfinished, a new one is refused clearly", async () => {
    const tasks = runtime({ maxTasksPerOwner: 2 });
    const a = await startGated(tasks, 100);
    const b = await startGated(tasks, 100);
    const error = await rejection(startGated(tasks, 100));
    expect(error).toBeInstanceOf(TaskLimitError);
    expect(error).toMatchObject({ code: -32005, reason: "task-limit-exceeded", data: { limit: 2 } });
    expect(error.message).toMatch(/at most 2 .*Wait for some to finish or cancel them/);
    expect(await exists(tasks, a.taskId)).toBe(true);
    expect(await exists(tasks, b.taskId)).toBe(true);
    // Other owners are not affected.
    await expect(startGated(tasks, 100, "other")).resolves.toBeDefined();
    // Once one finishes, it makes room.
    await a.finish();
    await expect(startGated(tasks, 100)).resolves.toBeDefined();
    expect(await exists(tasks, a.taskId)).toBe(false);
    expect(await exists(tasks, b.taskId)).toBe(true);
  });

  it("keeps at most maxResultBytesPerOwner of results, evicting the longest-finished first", async () => {
    const tasks = runtime({ maxResultBytesPerOwner: 1000 });
    const unfinished = await startGated(tasks, 400);
    const a = await startGated(tasks, 400);
    const b = await startGated(tasks, 400);
    const c = await startGated(tasks, 400);
    await b.finish();
    await a.finish();
    expect(await tasks.retained("o")).toEqual({ tasks: 4, unfinished: 2, resultBytes: 800 });
    // 1200 bytes would exceed the budget: B, finished first, goes.
    await c.finish();
    expect(await tasks.retained("o")).toEqual({ tasks: 3, unfinished: 1, resultBytes: 800 });
    expect(await exists(tasks, b.taskId)).toBe(false);
    expect(await exists(tasks, a.taskId)).toBe(true);
    expect(await exists(tasks, c.taskId)).toBe(true);
    expect(await exists(tasks, unfinished.taskId)).toBe(true);
    // The evicted task's in-process outcome is gone with it.
    expect(await rejection(tasks.localOutcome("o", b.taskId))).toBeInstanceOf(TaskNotFoundError);
    // Another owner has its own budget.
    const other = await startGated(tasks, 900, "other");
    await other.finish();
    expect((await tasks.retained("other")).resultBytes).toBe(900);
    expect(await exists(tasks, a.taskId)).toBe(true);
  });

  it("fails a task whose result is larger than the whole budget, with a clear stored error", async () => {
    const tasks = runtime({ maxResultBytesPerOwner: 1000 });
    const kept = await startGated(tasks, 400);
    await kept.finish();
    const big = await startGated(tasks, 5000);
    const done = await big.finish();
    expect(done.status).toBe("failed");
    expect(done.result).toBeUndefined();
    expect(done.error).toMatchObject({
      code: -32603,
      data: { reason: "task-result-too-large", taskId: big.taskId, bytes: 5000, limit: 1000 },
    });
    expect(done.statusMessage).toContain("maxResultBytesPerOwner");
    expect(done.statusMessage).toContain("5000 bytes");
    // The in-process caller sees the same failure, not the value (which is not kept).
    const local = await tasks.localOutcome("o", big.taskId);
    expect(local?.ok).toBe(false);
    expect(local?.ok === false && local.error).toBeInstanceOf(TaskResultTooLargeError);
    // The smaller result stored earlier is untouched.
    expect(await exists(tasks, kept.taskId)).toBe(true);
    expect((await tasks.retained("o")).resultBytes).toBeLessThanOrEqual(1000);
  });

  it("charges cancelled tasks and frees everything when the owner is released", async () => {
    const tasks = runtime({ maxTasksPerOwner: 2 });
    const a = await startGated(tasks, 100);
    await tasks.cancel("o", a.taskId);
    expect(await tasks.retained("o")).toMatchObject({ tasks: 1, unfinished: 0 });
    expect((await tasks.retained("o")).resultBytes).toBeGreaterThan(0);
    const b = await startGated(tasks, 100);
    await startGated(tasks, 100);
    // The cancelled task was evicted to make room for the third.
    expect(await exists(tasks, a.taskId)).toBe(false);
    expect(await exists(tasks, b.taskId)).toBe(true);
    await tasks.releaseOwner("o");
    expect(await tasks.retained("o")).toEqual({ tasks: 0, unfinished: 0, resultBytes: 0 });
  });

  it("forgets expired tasks, finished or not", async () => {
    const tasks = runtime();
    const a = await startGated(tasks, 100);
    const b = await startGated(tasks, 100);
    await a.finish();
    // Only the clock is faked: two hours later, both are past their (default 1 hour) TTL.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 2 * 3_600_000);
      expect((await tasks.sweep()).sort()).toEqual([a.taskId, b.taskId].sort());
    } finally {
      vi.useRealTimers();
    }
    expect(await tasks.retained("o")).toEqual({ tasks: 0, unfinished: 0, resultBytes: 0 });
  });

  it("rejects a maxResultBytesPerOwner that is not a number > 0", () => {
    expect(() => new TaskRuntime({ maxResultBytesPerOwner: 0 })).toThrow(/maxResultBytesPerOwner/);
    expect(() => new TaskRuntime({ maxResultBytesPerOwner: Number.NaN })).toThrow(/maxResultBytesPerOwner/);
  });
});
