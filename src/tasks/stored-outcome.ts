import { ErrorCode } from "../protocol/error-codes.js";
import { toJsonRpcError } from "../protocol/protocol-error.js";
import { firstText } from "../protocol/result-text.js";
import { isoNow } from "../util/iso-now.js";
import { jsonSize } from "./json-size.js";
import { TaskResultTooLargeError } from "./task-errors.js";
import type { TaskRunOutcome } from "./task-execution.js";
import type { TerminalPatch } from "./task-store.js";

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

/**
 * The terminal write for a finished handler: `completed` with its result, or `failed` (an
 * `isError` result or a protocol error) with the error's text as `statusMessage`.
 */
export function outcomePatch(outcome: Pick<TaskRunOutcome, "result" | "error">): TerminalPatch {
  const failed = outcome.result === undefined || outcome.result.isError === true;
  const patch: TerminalPatch = { status: failed ? "failed" : "completed", lastUpdatedAt: isoNow() };
  if (outcome.result !== undefined) patch.result = outcome.result;
  if (outcome.error !== undefined) patch.error = outcome.error;
  if (failed) patch.statusMessage = outcome.error?.message ?? firstText(outcome.result) ?? "The tool failed.";
  return patch;
}

/** The terminal write for a cancel: a cancelled request has no result, tasks/result answers this error. */
export function cancelledPatch(taskId: string, statusMessage: string): TerminalPatch & { error: object } {
  return {
    status: "cancelled",
    statusMessage,
    lastUpdatedAt: isoNow(),
    error: {
      code: ErrorCode.InvalidRequest,
      message: `Task ${taskId} was cancelled, so it has no result: ${statusMessage}`,
      data: { reason: "task-cancelled", taskId },
    },
  };
}
