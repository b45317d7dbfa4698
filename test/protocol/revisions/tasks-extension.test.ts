import { describe, expect, it } from "vitest";
import {
  declaresTasks,
  detailedTask,
  missingTasksError,
  PROGRESS_META_KEY,
  RESULT_TYPE,
  type TaskState,
  taskHandle,
} from "../../../src/protocol/revisions/tasks-extension.js";

const BASE: TaskState = {
  taskId: "t1",
  status: "working",
  createdAt: "2026-01-01T00:00:00.000Z",
  lastUpdatedAt: "2026-01-01T00:00:01.000Z",
  ttl: 60_000,
  pollInterval: 500,
};
const RESULT = { content: [{ type: "text" as const, text: "ok" }] };

describe("the tasks extension's shapes (SEP-2663)", () => {
  it("makes the flat handle from a stored task: ttlMs and pollIntervalMs, marked as a task result, JSON without the mark", () => {
    const handle = taskHandle({ ...BASE, statusMessage: "starting" });
    expect(JSON.parse(JSON.stringify(handle))).toEqual({
      taskId: "t1",
      status: "working",
      statusMessage: "starting",
      createdAt: BASE.createdAt,
      lastUpdatedAt: BASE.lastUpdatedAt,
      ttlMs: 60_000,
      pollIntervalMs: 500,
    });
    expect((handle as Record<symbol, unknown>)[RESULT_TYPE]).toBe("task");
    expect(taskHandle({ ...BASE, ttl: null }).ttlMs).toBeNull();
  });

  it("puts the stored progress under the vendor _meta key, as stored", () => {
    const progress = { current: 3, total: 4, message: "three", reportedAt: "2026-01-01T00:00:02.000Z" };
    expect(taskHandle({ ...BASE, progress })._meta).toEqual({ [PROGRESS_META_KEY]: progress });
    expect(
      detailedTask({ ...BASE, progress: { current: 1, reportedAt: progress.reportedAt } })._meta,
    ).toEqual({
      [PROGRESS_META_KEY]: { current: 1, reportedAt: progress.reportedAt },
    });
    expect(taskHandle(BASE)).not.toHaveProperty("_meta");
  });

  it("inlines what each status carries: a result when completed, an error when failed, nothing when cancelled", () => {
    expect(detailedTask({ ...BASE, status: "completed", result: RESULT })).toMatchObject({
      status: "completed",
      result: RESULT,
    });
    const error = { code: -32603, message: "boom" };
    const failed = detailedTask({ ...BASE, status: "failed", error });
    expect(failed).toMatchObject({ status: "failed", error });
    expect(failed).not.toHaveProperty("result");
    const cancelled = detailedTask({
      ...BASE,
      status: "cancelled",
      error: { code: -32600, message: "cancelled" },
    });
    expect(cancelled).not.toHaveProperty("error");
    expect(detailedTask({ ...BASE, status: "input_required" })).toMatchObject({ inputRequests: {} });
  });

  it("reports a 2025 isError result (stored as failed) as completed with that result", () => {
    const toolError = { content: [{ type: "text" as const, text: "no" }], isError: true };
    const detailed = detailedTask({ ...BASE, status: "failed", result: toolError, statusMessage: "no" });
    expect(detailed).toMatchObject({ status: "completed", result: toolError });
    expect(detailed).not.toHaveProperty("error");
  });

  it("reads the opt-in from a request's client capabilities, and names the extension in -32021", () => {
    expect(declaresTasks({ extensions: { "io.modelcontextprotocol/tasks": {} } })).toBe(true);
    expect(declaresTasks({ extensions: {} })).toBe(false);
    expect(declaresTasks({ extensions: { "io.modelcontextprotocol/tasks": true } })).toBe(false);
    expect(declaresTasks({})).toBe(false);
    expect(declaresTasks(undefined)).toBe(false);
    expect(missingTasksError("tasks/get").toJSON()).toMatchObject({
      code: -32021,
      data: {
        reason: "missing-client-capability",
        requiredCapabilities: { extensions: { "io.modelcontextprotocol/tasks": {} } },
      },
    });
  });
});
