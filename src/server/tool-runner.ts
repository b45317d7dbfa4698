import type { ClientRequests } from "../context/client-requests.js";
import { Context } from "../context/context.js";
import { Logger, type LogSink } from "../context/logger.js";
import type { ProgressSink } from "../context/progress-sink.js";
import { ProgressTracker } from "../context/progress-tracker.js";
import { CancelledError } from "../errors.js";
import type { CallToolResult, LogLevel, RequestId } from "../protocol/mcp-types.js";
import { InternalError, InvalidParamsError, RequestTimeoutError } from "../protocol/protocol-error.js";
import { formatIssues, type ValidationResult } from "../schema/validator.js";
import type { RegisteredTool } from "./tool-registry.js";
import { toCallToolResult } from "./tool-result.js";

/** One tool invocation, as the dispatcher (in-process API, wire, task runtime) describes it. */
export interface ToolInvocation {
  tool: RegisteredTool;
  args: unknown;
  requestId: RequestId;
  serverName: string;
  sessionId?: string | undefined;
  taskId?: string | undefined;
  progressSink?: ProgressSink | undefined;
  progressIntervalMs?: number | undefined;
  logSink?: LogSink | undefined;
  logLevel?: LogLevel | undefined;
  /** The caller's cancellation. */
  signal?: AbortSignal | undefined;
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

type InputCheck = { ok: true; args: unknown } | { ok: false; error: InvalidParamsError; phase: "input" };

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
    ? { ok: true, args: checked.value }
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
  if (tool.validateInput === undefined) return { ok: true, args };
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
  const { tool, signal: external } = call;
  const checked = checkInput(call);
  const input = checked instanceof Promise ? await checked : checked;
  if (!input.ok) return input;
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
  // per-request signal), else a controller linked to it.
  const controller = timeoutMs !== undefined || external === undefined ? new AbortController() : undefined;
  const signal = controller?.signal ?? (external as AbortSignal);
  const tracker = new ProgressTracker({ sink: call.progressSink, intervalMs: call.progressIntervalMs });
  const ctx = new Context({
    requestId: call.requestId,
    sessionId: call.sessionId,
    taskId: call.taskId,
    serverName: call.serverName,
    signal,
    log: new Logger(call.logSink, call.serverName, call.logLevel),
    tracker,
    client: call.client,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const onExternalAbort = (): void =>
    controller?.abort(
      new CancelledError(`The call to tool "${tool.name}" was cancelled.`, { cause: external?.reason }),
    );

  try {
    let pending: unknown = tool.handler(input.args, ctx);
    const thenable = typeof (pending as PromiseLike<unknown> | undefined)?.then === "function";
    if (thenable && (timeoutMs !== undefined || external !== undefined)) {
      // Only calls that can be interrupted pay for the race.
      if (timeoutMs !== undefined) {
        timer = setTimeout(
          () =>
            controller?.abort(
              new RequestTimeoutError(`Tool "${tool.name}" timed out after ${timeoutMs} ms.`, timeoutMs, {
                tool: tool.name,
              }),
            ),
          timeoutMs,
        );
      }
      if (controller !== undefined) external?.addEventListener("abort", onExternalAbort, { once: true });
      const settled = Promise.resolve(pending as PromiseLike<unknown>);
      // A handler that ignores its signal may still settle later; nobody is waiting for it then.
      settled.catch(() => undefined);
      pending = new Promise((resolve, reject) => {
        settled.then(resolve, reject);
        onAbort = () => reject(asCancellation(signal.reason, tool.name));
        signal.addEventListener("abort", onAbort, { once: true });
      });
    }
    const value = await pending;
    if (tool.validateOutput === undefined) return { ok: true, value };
    return await checkOutput(tool, value);
  } catch (error) {
    return { ok: false, phase: "run", error };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    external?.removeEventListener("abort", onExternalAbort);
    if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
    tracker.close();
  }
}
