import { toJsonRpcError } from "../protocol/protocol-error.js";
import { jsonSize } from "./json-size.js";
import { TaskResultTooLargeError } from "./task-errors.js";
import type { TaskRunOutcome } from "./task-runtime.js";

/** A task's outcome as it will be stored, and the bytes its owner is charged for it. */
export interface MeasuredOutcome {
  outcome: TaskRunOutcome;
  bytes: number;
}

/**
 * Measures, once, what keeping a task's outcome costs (the length of its JSON text), and replaces
 * what must not be kept: a result or error larger than `maxBytes` (it would evict every other
 * result of the owner and still not fit) by a {@link TaskResultTooLargeError}, and one nested too
 * deeply to store (a cyclic value) by an internal error. The replacement is the in-process
 * outcome too, so the value is kept for no one and memory stays bounded.
 */
export function measureOutcome(taskId: string, outcome: TaskRunOutcome, maxBytes: number): MeasuredOutcome {
  let bytes: number;
  try {
    bytes = jsonSize(outcome.result ?? outcome.error);
  } catch (error) {
    return replaced(outcome, error, toJsonRpcError(error));
  }
  if (bytes <= maxBytes) return { outcome, bytes };
  const tooLarge = new TaskResultTooLargeError(taskId, bytes, maxBytes);
  return replaced(outcome, tooLarge, tooLarge.toJSON());
}

function replaced(
  outcome: TaskRunOutcome,
  error: unknown,
  stored: NonNullable<TaskRunOutcome["error"]>,
): MeasuredOutcome {
  // Without a kept value (a wire task), the error is not kept in-process either: the record has it.
  const local = outcome.local === undefined ? undefined : { ok: false as const, error };
  return { outcome: { local, error: stored }, bytes: jsonSize(stored) };
}
