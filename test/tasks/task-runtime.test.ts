import { describe, expect, it } from "vitest";
import { FastestMcpError } from "../../src/errors.js";
import { MemoryTaskStore } from "../../src/tasks/memory-task-store.js";
import { TaskNotFoundError } from "../../src/tasks/task-errors.js";
import type { TaskEvent } from "../../src/tasks/task-events.js";
import { type TaskExecution, TaskRuntime } from "../../src/tasks/task-runtime.js";
import { createDeferred } from "../../src/util/deferred.js";
import { rejection } from "../rejection.js";
import { runtimesClosedAfterEach } from "./runtimes.js";

const runtime = runtimesClosedAfterEach();

function blocked() {
  const release = createDeferred<void>();
  const execution = createDeferred<TaskExecution>();
  return {
    release,
    execution: execution.promise,
    execute: async (exec: TaskExecution) => {
      execution.resolve(exec);
      await release.promise;
      return {
        local: { ok: true as const, value: "v" },
        result: { content: [{ type: "text" as const, text: "v" }] },
      };
    },
  };
}

describe("TaskRuntime", () => {
  it("moves a task to input_required and back to working, announcing each change", async () => {
    const tasks = runtime();
    const events: TaskEvent[] = [];
    tasks.on((event) => events.push(event));
    const work = blocked();
    const task = await tasks.start({ owner: "o", toolName: "t", execute: work.execute });
    expect((await tasks.setStatus("o", task.taskId, "input_required", "Need a name")).status).toBe(
      "input_required",
    );
    expect((await tasks.get("o", task.taskId)).statusMessage).toBe("Need a name");
    expect((await tasks.setStatus("o", task.taskId, "working")).status).toBe("working");
    work.release.resolve();
    await tasks.waitForTerminal("o", task.taskId, 1000);
    expect(events.map((e) => e.task.status)).toEqual(["working", "input_required", "working", "completed"]);
  });

  it("refuses moving a terminal task anywhere", async () => {
    const tasks = runtime();
    const work = blocked();
    const task = await tasks.start({ owner: "o", toolName: "t", execute: work.execute });
    await tasks.cancel("o", task.taskId);
    const error = await rejection(tasks.setStatus("o", task.taskId, "working"));
    expect(error).toBeInstanceOf(FastestMcpError);
    expect(error.code).toBe("FMCP_ERR_TASK_TRANSITION_INVALID");
    expect(error.message).toContain('"cancelled" is terminal');
  });

  it("persists the latest progress from the execution's sink and announces it", async () => {
    const tasks = runtime();
    const events: TaskEvent[] = [];
    tasks.on((event) => events.push(event));
    const work = blocked();
    const task = await tasks.start({ owner: "o", toolName: "t", execute: work.execute });
    const exec = await work.execution;
    exec.progressSink.onProgress({ current: 1, total: 4, reportedAt: "2026-01-01T00:00:00.000Z" });
    exec.progressSink.onProgress({
      current: 2,
      total: 4,
      message: "half",
      reportedAt: "2026-01-01T00:00:01.000Z",
    });
    work.release.resolve();
    const done = await tasks.waitForTerminal("o", task.taskId, 1000);
    expect(done.progress).toEqual({
      current: 2,
      total: 4,
      message: "half",
      reportedAt: "2026-01-01T00:00:01.000Z",
    });
    expect(done.statusMessage).toBe("half");
    expect(events.filter((e) => e.type === "progress").at(-1)).toMatchObject({ progress: { current: 2 } });
  });

  it("sweeps expired tasks and aborts their work", async () => {
    const tasks = runtime({ maxTtlMs: 20 });
    const work = blocked();
    const task = await tasks.start({ owner: "o", toolName: "t", execute: work.execute });
    const exec = await work.execution;
    await new Promise((r) => setTimeout(r, 30));
    expect(await tasks.sweep()).toEqual([task.taskId]);
    expect(exec.signal.aborted).toBe(true);
    expect(await rejection(tasks.get("o", task.taskId))).toBeInstanceOf(TaskNotFoundError);
  });

  it("lets a second runtime sharing the store wait for a task by polling", async () => {
    const store = new MemoryTaskStore();
    const runner = runtime({ store, defaultPollIntervalMs: 5 });
    const observer = runtime({ store });
    const work = blocked();
    const task = await runner.start({ owner: "o", toolName: "t", execute: work.execute });
    const waiting = observer.waitForTerminal("o", task.taskId, 2000);
    expect(await observer.localOutcome("o", task.taskId)).toBeUndefined();
    work.release.resolve();
    expect(await waiting).toMatchObject({
      status: "completed",
      result: { content: [{ type: "text", text: "v" }] },
    });
  });

  it("fails the task with -32603 when the execution itself throws", async () => {
    const tasks = runtime();
    const task = await tasks.start({
      owner: "o",
      toolName: "t",
      execute: async () => {
        throw new Error("runtime glue broke");
      },
    });
    const done = await tasks.waitForTerminal("o", task.taskId, 1000);
    expect(done).toMatchObject({ status: "failed", error: { code: -32603 } });
    expect(JSON.stringify(done.error)).not.toContain("glue");
  });

  it("rejects invalid options with FMCP_ERR_OPTION_INVALID", () => {
    expect(() => new TaskRuntime({ maxTasksPerOwner: 0 })).toThrow(/maxTasksPerOwner/);
  });

  it("refuses new tasks after close", async () => {
    const tasks = runtime();
    await tasks.close();
    await expect(tasks.start({ owner: "o", toolName: "t", execute: blocked().execute })).rejects.toThrow(
      /closed/,
    );
  });
});
