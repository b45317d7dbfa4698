import { onCancel } from "../context/cancellation.js";
import type { ClientRequests } from "../context/client-requests.js";
import {
  type Cancellation,
  Context,
  LazyAbortController,
  LazyContextInit,
  SignalCancellation,
} from "../context/context.js";
import { CancelledError } from "../errors.js";
import type { CallToolResult } from "../protocol/mcp-types.js";
import { InternalError, InvalidParamsError, RequestTimeoutError } from "../protocol/protocol-error.js";
import { formatIssues, type ValidationResult } from "../schema/validator.js";
import type { HandlerCall } from "./handler-context.js";
import type { RegisteredTool } from "./tool-registry.js";
import { toCallToolResult } from "./tool-result.js";

/** One tool invocation, as the dispatcher (in-process API, wire, task runtime) describes it. */
export interface ToolInvocation extends HandlerCall {
  tool: RegisteredTool;
  args: unknown;
  taskId?: string | undefined;
  /** The caller's time limit; the smaller of this and the tool's own `timeout` applies. */
  timeoutMs?: number | undefined;
  /** Requests the handler may make of the client (`ctx.sample`, `ctx.elicit`). */
  client?: ClientRequests | undefined;
}

/**
 * What happened: the handler's value (and its result envelope when output validation already
 * built it), or the error and the phase it came from.
 */
export type ToolOutcome =
  | { ok: true; value: unknown; result?: CallToolResult }
  | { ok: false; error: unknown; phase: "input" | "run" | "output" };

/** Why an aborted call failed: our own reasons as they are, anything else as a cancellation. */
function asCancellation(reason: unknown, toolName: string): unknown {
  if (reason instanceof CancelledError || reason instanceof RequestTimeoutError) return reason;
  return new CancelledError(`The call to tool "${toolName}" was cancelled.`, { cause: reason });
}

function effectiveTimeout(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

async function settle<T>(
  result: ValidationResult<T> | Promise<ValidationResult<T>>,
): Promise<ValidationResult<T>> {
  return result;
}

// The validator's own `{ ok: true, value }` passes through: no second object per call.
type InputCheck = { ok: true; value: unknown } | { ok: false; error: InvalidParamsError; phase: "input" };

function invalidArguments(toolName: string, detail: string, data: Record<string, unknown> = {}): InputCheck {
  return {
    ok: false,
    phase: "input",
    error: new InvalidParamsError(
      `Invalid arguments for tool "${toolName}": ${detail}`,
      "invalid-tool-arguments",
      {
        tool: toolName,
        ...data,
      },
    ),
  };
}

function fromValidation(toolName: string, checked: ValidationResult): InputCheck {
  return checked.ok
    ? checked
    : invalidArguments(toolName, formatIssues(checked.issues), { issues: checked.issues });
}

/** Checks the arguments; synchronous unless the tool's schema validates asynchronously. */
function checkInput(call: ToolInvocation): InputCheck | Promise<InputCheck> {
  const { tool } = call;
  const args = call.args ?? {};
  if (typeof args !== "object" || Array.isArray(args)) {
    return invalidArguments(
      tool.name,
      `arguments must be an object, got ${Array.isArray(args) ? "an array" : typeof args}.`,
    );
  }
  if (tool.validateInput === undefined) return { ok: true, value: args };
  const checked = tool.validateInput(args);
  return checked instanceof Promise
    ? checked.then((result) => fromValidation(tool.name, result))
    : fromValidation(tool.name, checked);
}

async function checkOutput(tool: RegisteredTool, value: unknown): Promise<ToolOutcome> {
  const result = toCallToolResult(value);
  if (result.isError || tool.validateOutput === undefined) return { ok: true, value, result };
  const fail = (detail: string): ToolOutcome => ({
    ok: false,
    phase: "output",
    error: new InternalError(
      `Tool "${tool.name}" returned a result that does not match its output schema: ${detail}`,
      "tool-output-invalid",
      {
        tool: tool.name,
      },
    ),
  });
  if (result.structuredContent === undefined) return fail("structuredContent is missing.");
  const checked = await settle(tool.validateOutput(result.structuredContent));
  return checked.ok ? { ok: true, value, result } : fail(formatIssues(checked.issues));
}

/**
 * Runs one tool call: validates arguments, builds the request's Context, enforces the timeout and
 * the caller's signal, and always closes the progress tracker (so the final state is delivered
 * before the outcome is). Never throws: every failure comes back as an outcome.
 */
export async function runTool(call: ToolInvocation): Promise<ToolOutcome> {
  const { tool } = call;
  const checked = checkInput(call);
  const input = checked instanceof Promise ? await checked : checked;
  if (!input.ok) return input;
  const external =
    call.cancellation ?? (call.signal === undefined ? undefined : new SignalCancellation(call.signal));
  if (external?.aborted) {
    return {
      ok: false,
      phase: "run",
      error: new CancelledError(`The call to tool "${tool.name}" was cancelled before it started.`, {
        cause: external.reason,
      }),
    };
  }

  const timeoutMs = effectiveTimeout(tool.timeoutMs, call.timeoutMs);
  // One signal per call: the caller's own when only the caller can abort it (the wire's
  // per-request signal), else one linked to it; none is built unless something needs it.
  const own = timeoutMs !== undefined ? new LazyAbortController() : undefined;
  const init = new LazyContextInit(call, own ?? external);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopExternal: (() => void) | undefined;
  let stopRace: (() => void) | undefined;

  try {
    let pending: unknown = tool.handler(input.value, new Context(init));
    const thenable = typeof (pending as PromiseLike<unknown> | undefined)?.then === "function";
    if (thenable && (own !== undefined || external !== undefined)) {
      // Only calls that can be interrupted pay for the race.
      if (own !== undefined && timeoutMs !== undefined) {
        timer = setTimeout(
          () =>
            own.abort(
              new RequestTimeoutError(`Tool "${tool.name}" timed out after ${timeoutMs} ms.`, timeoutMs, {
                tool: tool.name,
              }),
            ),
          timeoutMs,
        );
        if (external !== undefined) {
          stopExternal = onCancel(external, () =>
            own.abort(
              new CancelledError(`The call to tool "${tool.name}" was cancelled.`, {
                cause: external.reason,
              }),
            ),
          );
        }
      }
      const racing = own ?? (external as Cancellation);
      const settled = Promise.resolve(pending as PromiseLike<unknown>);
      // A handler that ignores its signal may still settle later; nobody is waiting for it then.
      settled.catch(() => undefined);
      pending = new Promise((resolve, reject) => {
        settled.then(resolve, reject);
        stopRace = onCancel(racing, () => reject(asCancellation(racing.reason, tool.name)));
      });
    }
    // A sync handler's value needs no extra turn (the tracker still closes before we return).
    const value = thenable ? await pending : pending;
    if (tool.validateOutput === undefined) return { ok: true, value };
    return await checkOutput(tool, value);
  } catch (error) {
    return { ok: false, phase: "run", error };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    stopExternal?.();
    stopRace?.();
    init.close();
  }
}
