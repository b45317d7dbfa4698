import { describe, expect, it } from "vitest";
import { FastestMcpError } from "../../src/errors.js";
import {
  assertTransition,
  canTransition,
  isTerminalStatus,
  type TaskStatus,
} from "../../src/tasks/task-status.js";

const ALL: TaskStatus[] = ["working", "input_required", "completed", "failed", "cancelled"];
const ALLOWED = new Set([
  "working>input_required",
  "working>completed",
  "working>failed",
  "working>cancelled",
  "input_required>working",
  "input_required>completed",
  "input_required>failed",
  "input_required>cancelled",
]);

describe("task status machine", () => {
  const pairs = ALL.flatMap((from) => ALL.map((to) => [from, to] as const));

  it.each(pairs)("%s → %s follows MCP 2025-11-25", (from, to) => {
    const allowed = ALLOWED.has(`${from}>${to}`);
    expect(canTransition(from, to)).toBe(allowed);
    if (allowed) {
      expect(() => assertTransition("t1", from, to)).not.toThrow();
    } else {
      let error: unknown;
      try {
        assertTransition("t1", from, to);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(FastestMcpError);
      expect((error as FastestMcpError).code).toBe("FMCP_ERR_TASK_TRANSITION_INVALID");
    }
  });

  it("treats completed, failed and cancelled as terminal", () => {
    expect(ALL.filter(isTerminalStatus)).toEqual(["completed", "failed", "cancelled"]);
  });
});
