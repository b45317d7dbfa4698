import { describe, expect, it } from "vitest";
import { MemoryTaskStore } from "../../src/tasks/memory-task-store.js";
import { describeTaskStore } from "../../src/testing.js";

describeTaskStore("MemoryTaskStore", () => new MemoryTaskStore(), { describe, it });

describe("MemoryTaskStore", () => {
  it("hands out frozen records: a caller cannot change what it holds", async () => {
    const store = new MemoryTaskStore();
    const write = await store.create(
      {
        taskId: "t",
        owner: "o",
        toolName: "tool",
        status: "working",
        createdAt: "2026-01-01T00:00:00.000Z",
        lastUpdatedAt: "2026-01-01T00:00:00.000Z",
        ttl: null,
        expiresAt: null,
      },
      { maxTasks: 10, maxResultBytes: 100 },
    );
    expect(Object.isFrozen(write?.record)).toBe(true);
    const updated = await store.update("t", { progress: { current: 1, reportedAt: "x" } });
    expect(() => {
      if (updated?.progress) updated.progress.current = 99;
    }).toThrow(TypeError);
    expect(store.size).toBe(1);
  });
});
