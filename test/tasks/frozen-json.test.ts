import { describe, expect, it } from "vitest";
import { frozenJsonCopy } from "../../src/tasks/frozen-json.js";
import { MAX_JSON_DEPTH } from "../../src/tasks/json-size.js";
import { MemoryTaskStore } from "../../src/tasks/memory-task-store.js";
import { TaskRuntime } from "../../src/tasks/task-runtime.js";

describe("frozenJsonCopy", () => {
  it("reads back like a JSON round trip, and is frozen all the way down", () => {
    const value = {
      text: "hi",
      n: [1, Number.NaN, undefined, () => 1, { deep: { er: [true, null] } }],
      when: new Date(0),
      skipped: undefined,
      fn: () => 1,
      // A computed key makes an own property (JSON.parse does too), not the prototype.
      ["__proto__"]: { own: true },
    };
    const copy = frozenJsonCopy(value);
    expect(copy).toEqual(JSON.parse(JSON.stringify(value)));
    expect(Object.hasOwn(copy, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    const inner = (copy.n[4] as { deep: { er: unknown[] } }).deep;
    expect(Object.isFrozen(copy) && Object.isFrozen(copy.n) && Object.isFrozen(inner.er)).toBe(true);
    // The caller's value is neither frozen nor shared.
    expect(Object.isFrozen(value)).toBe(false);
    expect(copy.n).not.toBe(value.n);
  });

  it("refuses a cyclic value with a clear error instead of overflowing the stack", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => frozenJsonCopy(cyclic)).toThrow(new RegExp(`deeper than ${MAX_JSON_DEPTH} levels`));
  });

  it("fails a task whose result is cyclic, instead of storing it or crashing", async () => {
    const store = new MemoryTaskStore();
    const tasks = new TaskRuntime({ store });
    try {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const record = await tasks.start({
        owner: "o",
        toolName: "t",
        execute: async () => ({
          local: { ok: true, value: cyclic },
          result: { content: [], structuredContent: cyclic },
        }),
      });
      const done = await tasks.waitForTerminal("o", record.taskId, 5000);
      expect(done).toMatchObject({ status: "failed", error: { code: -32603 } });
      expect(done.result).toBeUndefined();
      const local = await tasks.localOutcome("o", record.taskId);
      expect(local).toMatchObject({ ok: false, error: expect.any(RangeError) });
    } finally {
      await tasks.close();
    }
  });
});
