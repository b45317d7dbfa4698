import { describe, expect, it } from "vitest";
import { InvalidParamsError } from "../../src/protocol/protocol-error.js";
import { MemoryTaskStore } from "../../src/tasks/memory-task-store.js";
import type { TaskRecord } from "../../src/tasks/task-record.js";
import { rejection } from "../rejection.js";

let seq = 0;
function record(overrides: Partial<TaskRecord> = {}): TaskRecord {
  seq += 1;
  return {
    taskId: `task-${seq}`,
    owner: "alice",
    toolName: "t",
    status: "working",
    createdAt: "2026-01-01T00:00:00.000Z",
    lastUpdatedAt: "2026-01-01T00:00:00.000Z",
    ttl: 1000,
    expiresAt: 10_000,
    seq,
    ...overrides,
  };
}

describe("MemoryTaskStore", () => {
  it("never shares objects with its callers", async () => {
    const store = new MemoryTaskStore();
    const original = record();
    await store.create(original);
    original.status = "failed";
    const read = await store.get(original.taskId);
    expect(read?.status).toBe("working");
    expect(() => {
      if (read) read.status = "completed";
    }).toThrow(TypeError);
    const updated = await store.update(original.taskId, { progress: { current: 1, reportedAt: "x" } });
    expect(() => {
      if (updated?.progress) updated.progress.current = 99;
    }).toThrow(TypeError);
    expect(await store.get(original.taskId)).toMatchObject({ status: "working", progress: { current: 1 } });
  });

  it("applies updates only while the task is not terminal; the first terminal write wins", async () => {
    const store = new MemoryTaskStore();
    const task = record();
    await store.create(task);
    expect(await store.update(task.taskId, { statusMessage: "busy" })).toMatchObject({
      statusMessage: "busy",
    });
    expect(await store.complete(task.taskId, { status: "cancelled" })).toMatchObject({ status: "cancelled" });
    expect(await store.complete(task.taskId, { status: "completed" })).toBeUndefined();
    expect(await store.update(task.taskId, { statusMessage: "late" })).toBeUndefined();
    expect(await store.get(task.taskId)).toMatchObject({ status: "cancelled", statusMessage: "busy" });
  });

  it("pages an owner's tasks in creation order with opaque cursors", async () => {
    const store = new MemoryTaskStore();
    const mine = [record(), record(), record(), record(), record()];
    for (const task of mine) await store.create(task);
    await store.create(record({ owner: "bob" }));
    const first = await store.list("alice", { limit: 2 });
    expect(first.tasks.map((t) => t.taskId)).toEqual(mine.slice(0, 2).map((t) => t.taskId));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await store.list("alice", { limit: 2, cursor: first.nextCursor });
    const third = await store.list("alice", { limit: 2, cursor: second.nextCursor });
    expect(third.tasks.map((t) => t.taskId)).toEqual([mine[4]?.taskId]);
    expect(third.nextCursor).toBeUndefined();
    expect((await store.list("carol", { limit: 2 })).tasks).toEqual([]);
  });

  it("rejects a cursor it did not make with -32602", async () => {
    const error = await rejection(new MemoryTaskStore().list("alice", { limit: 2, cursor: "bogus" }));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.reason).toBe("invalid-cursor");
  });

  it("expires records whose expiresAt has passed and deletes on request", async () => {
    const store = new MemoryTaskStore();
    const old = record({ expiresAt: 100 });
    const forever = record({ expiresAt: null, ttl: null });
    const young = record({ expiresAt: 5000 });
    for (const task of [old, forever, young]) await store.create(task);
    expect(await store.expire(1000)).toEqual([old.taskId]);
    expect(await store.get(old.taskId)).toBeUndefined();
    expect(await store.delete(young.taskId)).toBe(true);
    expect(await store.delete(young.taskId)).toBe(false);
    expect(store.size).toBe(1);
  });
});
