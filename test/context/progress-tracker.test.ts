import { afterEach, describe, expect, it, vi } from "vitest";
import { ProgressError } from "../../src/context/progress-error.js";
import type { ProgressUpdate } from "../../src/context/progress-sink.js";
import { ProgressTracker } from "../../src/context/progress-tracker.js";
import { ErrorCode } from "../../src/protocol/error-codes.js";

function recording(intervalMs = 0) {
  const updates: ProgressUpdate[] = [];
  const tracker = new ProgressTracker({ sink: { onProgress: (u) => updates.push(u) }, intervalMs });
  return { tracker, updates };
}

function expectProgressError(fn: () => void, reason: ProgressError["reason"]): ProgressError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ProgressError);
  const error = caught as ProgressError;
  expect(error.code).toBe(ErrorCode.InvalidParams);
  expect(error.reason).toBe(reason);
  return error;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("ProgressTracker validation", () => {
  it("rejects decreasing progress with -32602 and emits nothing", () => {
    const { tracker, updates } = recording();
    tracker.report(5, 10);
    tracker.flush();
    const error = expectProgressError(() => tracker.report(4), "progress-not-increasing");
    expect(error.message).toContain("got 4 after 5");
    expect(tracker.current).toBe(5);
    expect(updates).toHaveLength(1);
  });

  it("rejects repeating the same progress value", () => {
    const { tracker, updates } = recording();
    tracker.report(2);
    expectProgressError(() => tracker.report(2), "progress-not-increasing");
    tracker.flush();
    expect(updates).toHaveLength(1);
  });

  it("accepts 0 as the first value", () => {
    const { tracker, updates } = recording();
    tracker.report(0, 3);
    tracker.flush();
    expect(updates.map((u) => u.current)).toEqual([0]);
  });

  it.each([
    ["a negative number", -1],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a string", "3" as unknown as number],
  ])("rejects %s as progress with progress-invalid-number", (_label, value) => {
    const { tracker, updates } = recording();
    expectProgressError(() => tracker.report(value), "progress-invalid-number");
    expect(updates).toHaveLength(0);
    expect(tracker.current).toBe(0);
  });

  it("rejects a non-finite or negative total", () => {
    const { tracker } = recording();
    expectProgressError(() => tracker.setTotal(-3), "progress-invalid-number");
    expectProgressError(() => tracker.setTotal(Number.NaN), "progress-invalid-number");
    expectProgressError(() => tracker.report(1, Number.POSITIVE_INFINITY), "progress-invalid-number");
    expect(tracker.total).toBeUndefined();
  });

  it("rejects current above total, from report and from increment", () => {
    const { tracker, updates } = recording();
    expectProgressError(() => tracker.report(4, 3), "progress-exceeds-total");
    tracker.report(3, 3);
    expectProgressError(() => tracker.increment(), "progress-exceeds-total");
    tracker.flush();
    expect(tracker.current).toBe(3);
    expect(updates).toHaveLength(1);
  });

  it("rejects a total below the current progress", () => {
    const { tracker } = recording();
    tracker.report(5);
    expectProgressError(() => tracker.setTotal(4), "progress-exceeds-total");
    expect(tracker.total).toBeUndefined();
  });

  it.each([0, -1])("rejects increment(%d) as non-increasing", (by) => {
    const { tracker } = recording();
    expectProgressError(() => tracker.increment(by), "progress-not-increasing");
  });

  it("rejects increment by a non-finite amount", () => {
    const { tracker } = recording();
    expectProgressError(() => tracker.increment(Number.NaN), "progress-invalid-number");
  });

  it("rejects a message that is not a string", () => {
    const { tracker } = recording();
    expectProgressError(() => tracker.setMessage(42 as unknown as string), "progress-invalid-message");
  });

  it("rejects updates after close with progress-after-completion", () => {
    const { tracker, updates } = recording();
    tracker.increment();
    tracker.close();
    expectProgressError(() => tracker.increment(), "progress-after-completion");
    expectProgressError(() => tracker.setMessage("late"), "progress-after-completion");
    expect(updates).toHaveLength(1);
  });

  it("keeps total and message when report omits them", () => {
    const { tracker } = recording();
    tracker.report(1, 10, "first");
    tracker.report(2);
    expect([tracker.current, tracker.total, tracker.message]).toEqual([2, 10, "first"]);
  });

  it("serialises as a JSON-RPC error with the reason in data", () => {
    const { tracker } = recording();
    tracker.report(2);
    const error = expectProgressError(() => tracker.report(1), "progress-not-increasing");
    expect(error.toJSON()).toEqual({
      code: -32602,
      message: error.message,
      data: { reason: "progress-not-increasing", current: 1, previous: 2 },
    });
  });
});

describe("ProgressTracker delivery", () => {
  it("delivers each synchronous batch of changes when the interval is 0", async () => {
    const { tracker, updates } = recording(0);
    tracker.setTotal(3);
    tracker.increment();
    tracker.setMessage("Step 1");
    await Promise.resolve();
    tracker.increment();
    await Promise.resolve();
    tracker.setMessage("Step 2");
    tracker.flush();
    expect(updates.map((u) => [u.current, u.total, u.message])).toEqual([
      [1, 3, "Step 1"],
      [2, 3, "Step 1"],
      [2, 3, "Step 2"],
    ]);
  });

  it("batches a synchronous chain into one update on the next microtask", async () => {
    const { tracker, updates } = recording(50);
    tracker.setTotal(3);
    tracker.increment();
    tracker.setMessage("Step 1");
    expect(updates).toHaveLength(0);
    await Promise.resolve();
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ current: 1, total: 3, message: "Step 1" });
    expect(typeof updates[0]?.reportedAt).toBe("string");
    tracker.close();
  });

  it("coalesces a flood of 1,000,000 increments and still delivers the final value", async () => {
    const { tracker, updates } = recording(20);
    tracker.setTotal(1_000_000);
    for (let i = 0; i < 1_000_000; i++) tracker.increment();
    await tick();
    expect(updates.length).toBeLessThanOrEqual(2);
    tracker.close();
    expect(updates.at(-1)).toMatchObject({ current: 1_000_000, total: 1_000_000 });
    expect(updates.length).toBeLessThanOrEqual(3);
  });

  it("delivers the latest pending state when the interval ends", async () => {
    const { tracker, updates } = recording(15);
    tracker.report(1);
    await tick();
    tracker.report(2);
    tracker.report(3);
    expect(updates.map((u) => u.current)).toEqual([1]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(updates.map((u) => u.current)).toEqual([1, 3]);
    tracker.close();
  });

  it("delivers strictly increasing values to the sink", async () => {
    const { tracker, updates } = recording(1);
    for (let i = 1; i <= 200; i++) {
      tracker.report(i);
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    tracker.close();
    const values = updates.map((u) => u.current);
    expect(values.at(-1)).toBe(200);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1] as number);
  });

  it("keeps working when the sink throws", () => {
    const errors: unknown[] = [];
    const tracker = new ProgressTracker({
      intervalMs: 0,
      sink: {
        onProgress: () => {
          throw new Error("listener bug");
        },
      },
      onSinkError: (error) => errors.push(error),
    });
    tracker.increment();
    tracker.flush();
    tracker.increment();
    tracker.flush();
    expect(tracker.current).toBe(2);
    expect(errors).toHaveLength(2);
  });

  it("keeps state without a sink", () => {
    const tracker = new ProgressTracker();
    tracker.setTotal(2);
    tracker.increment();
    tracker.setMessage("half");
    expect(tracker.snapshot()).toMatchObject({ current: 1, total: 2, message: "half" });
  });
});

describe("ProgressTracker interval timer", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps one timer while every interval brings a change and stops it after a quiet interval", async () => {
    vi.useFakeTimers();
    const { tracker, updates } = recording(50);
    tracker.report(1);
    await Promise.resolve();
    expect(updates.map((u) => u.current)).toEqual([1]);
    expect(vi.getTimerCount()).toBe(1);
    tracker.report(2);
    vi.advanceTimersByTime(50);
    tracker.report(3);
    vi.advanceTimersByTime(50);
    expect(updates.map((u) => u.current)).toEqual([1, 2, 3]);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(50);
    expect(vi.getTimerCount()).toBe(0);
    // After a quiet interval the next change goes out on the next microtask again.
    tracker.report(4);
    await Promise.resolve();
    expect(updates.map((u) => u.current)).toEqual([1, 2, 3, 4]);
    tracker.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("hands a sink that takes members the state without building an update object", () => {
    const states: unknown[][] = [];
    const objects: ProgressUpdate[] = [];
    const tracker = new ProgressTracker({
      sink: {
        onProgress: (update) => objects.push(update),
        onProgressState: (...state) => states.push(state),
      },
      intervalMs: 0,
    });
    tracker.report(1, 10, "one");
    tracker.flush();
    expect(objects).toEqual([]);
    expect(states).toEqual([[1, 10, "one", expect.any(String)]]);
    expect(Number.isNaN(Date.parse(states[0]?.[3] as string))).toBe(false);
  });
});
