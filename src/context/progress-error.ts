import type { ErrorReason } from "../protocol/error-reasons.js";
import { InvalidParamsError } from "../protocol/protocol-error.js";

/** Why a progress update was rejected; sent as `data.reason`. The `progress-…` rows of the reason table. */
export type ProgressErrorReason = Extract<ErrorReason, `progress-${string}`>;

/**
 * A progress update that breaks the rules (MCP requires progress to increase with every
 * notification). Nothing is recorded or emitted for a rejected update. JSON-RPC code `-32602`.
 */
export class ProgressError extends InvalidParamsError {
  override name = "ProgressError";
  declare readonly reason: ProgressErrorReason;

  constructor(reason: ProgressErrorReason, message: string, data?: Record<string, unknown>) {
    super(message, reason, data);
  }
}
