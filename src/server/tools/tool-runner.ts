import { Context } from "../../context/context.js";
import { CancelledError } from "../../errors.js";
import type { CallToolResult } from "../../protocol/mcp-types.js";
import { InternalError, InvalidParamsError, RequestTimeoutError } from "../../protocol/protocol-error.js";
import { formatIssues, type ValidationResult } from "../../schema/validator.js";
import type { RequestScope } from "../dispatch/request-scope.js";
import type { RegisteredTool } from "./tool-registry.js";
import { toCallToolResult } from "./tool-result.js";

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

/**
 * A `tools/call`'s `arguments`, which must be an object when present. Checked by the method
 * handler before anything runs: arguments of the wrong shape make a malformed request (a JSON-RPC
 * error), where arguments that break the tool's schema make an `isError` result the model reads.
 * @throws {InvalidParamsError} (-32602) `invalid-tool-arguments`.
 */
export function assertToolArguments(toolName: string, args: unknown): void {
  if (args === undefined || (typeof args === "object" && args !== null && !Array.isArray(args))) return;
  throw new InvalidParamsError(
    `Invalid arguments for tool "${toolName}": arguments must be an object, got ${args === null ? "null" : Array.isArray(args) ? "an array" : typeof args}.`,
    "invalid-tool-arguments",
    { tool: toolName },
  );
}

/** Checks the arguments against the tool's schema; synchronous unless the schema validates asynchronously. */
function checkInput(tool: RegisteredTool, given: unknown): InputCheck | Promise<InputCheck> {
  const args = given ?? {};
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
 * Runs one tool call on `scope` (its arguments are `params.arguments`): validates them, builds the
 * request's Context, enforces the timeout (the smaller of the tool's and the in-process caller's)
 * and the scope's cancellation, and always closes the scope (so the final progress is delivered
 * before the outcome is). Never throws: every failure comes back as an outcome. A sync handler
 * with sync validation gets its outcome back synchronously: no promise, no extra turn.
 *
 * `shape` (which must not throw) turns the outcome into what the caller keeps, in the same step:
 * a background task's stored outcome, without another promise per running task to wait on.
 */
export function runTool(scope: RequestScope, tool: RegisteredTool): ToolOutcome | Promise<ToolOutcome>;
export function runTool<T>(
  scope: RequestScope,
  tool: RegisteredTool,
  shape: (outcome: ToolOutcome) => T,
): T | Promise<T>;
export function runTool(
  scope: RequestScope,
  tool: RegisteredTool,
  shape: Shape = asIs,
): unknown | Promise<unknown> {
  const checked = checkInput(tool, scope.params.arguments);
  return checked instanceof Promise
    ? checked.then((input) => run(scope, tool, input, shape))
    : run(scope, tool, checked, shape);
}

/** What the caller of {@link runTool} makes of an outcome. */
type Shape = (outcome: ToolOutcome) => unknown;

const asIs: Shape = (outcome) => outcome;

function run(
  scope: RequestScope,
  tool: RegisteredTool,
  input: InputCheck,
  shape: Shape,
): unknown | Promise<unknown> {
  if (!input.ok || scope.aborted) {
    scope.close();
    if (!input.ok) return shape(input);
    const error = new CancelledError(`The call to tool "${tool.name}" was cancelled before it started.`, {
      cause: scope.reason,
    });
    return shape({ ok: false, phase: "run", error });
  }
  let value: unknown;
  try {
    value = tool.handler(input.value, new Context(scope));
  } catch (error) {
    scope.close();
    return shape({ ok: false, phase: "run", error });
  }
  if (typeof (value as PromiseLike<unknown> | undefined)?.then === "function") {
    return settleHandler(scope, tool, value as PromiseLike<unknown>, shape);
  }
  scope.close();
  return tool.validateOutput === undefined
    ? shape({ ok: true, value })
    : checkOutput(tool, value).then(shape);
}

/**
 * Waits for an async handler, racing it against the timeout and the scope's cancellation (only
 * calls that can be interrupted pay for the race). Not async: a suspended frame per running
 * handler (~500 bytes, for as long as it runs) costs more than a reaction, at thousands of
 * concurrent tasks.
 */
function settleHandler(
  scope: RequestScope,
  tool: RegisteredTool,
  handled: PromiseLike<unknown>,
  shape: Shape,
): Promise<unknown> {
  const timeoutMs = effectiveTimeout(tool.timeoutMs, scope.local?.timeout);
  if (timeoutMs !== undefined || scope.abortable) {
    return new Promise<unknown>((resolve) => {
      new HandlerRace(scope, tool, shape, resolve).start(handled, timeoutMs);
    });
  }
  const failed = (error: unknown): unknown => closed(scope, shape, { ok: false, phase: "run", error });
  return Promise.resolve(handled).then((value): unknown => {
    if (tool.validateOutput === undefined) return closed(scope, shape, { ok: true, value });
    return checkOutput(tool, value).then((outcome) => closed(scope, shape, outcome), failed);
  }, failed);
}

/** Closes the scope (its final progress goes out first) and hands the shaped `outcome` on. */
function closed(scope: RequestScope, shape: Shape, outcome: ToolOutcome): unknown {
  scope.close();
  return shape(outcome);
}

/**
 * An async handler raced against its timeout and its scope's cancellation: the first to finish
 * decides the outcome. The abort is decided inside `abort` itself, so a handler that settles when
 * its signal aborts cannot win. One object per running handler whose callbacks share one
 * context, where promise wrappers cost a promise, a reaction and closures per step, for as long
 * as the handler runs (thousands of concurrent tasks).
 */
class HandlerRace {
  #decided = false;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  readonly #scope: RequestScope;
  readonly #tool: RegisteredTool;
  readonly #shape: Shape;
  readonly #resolve: (shaped: unknown) => void;

  constructor(scope: RequestScope, tool: RegisteredTool, shape: Shape, resolve: (shaped: unknown) => void) {
    this.#scope = scope;
    this.#tool = tool;
    this.#shape = shape;
    this.#resolve = resolve;
  }

  start(handled: PromiseLike<unknown>, timeoutMs: number | undefined): void {
    try {
      // The timeout aborts the scope itself: ctx.signal then says why, and the request is
      // answered with the timeout error.
      if (timeoutMs !== undefined) this.#timer = setTimeout(() => this.#timedOut(timeoutMs), timeoutMs);
      handled.then(this.#value, this.#error);
      this.#scope.onAbort(this.#aborted);
    } catch (error) {
      this.#error(error);
    }
  }

  readonly #value = (value: unknown): void => {
    if (!this.#decide()) return;
    const tool = this.#tool;
    if (tool.validateOutput === undefined) this.#finish({ ok: true, value });
    else
      checkOutput(tool, value).then(
        (outcome) => this.#finish(outcome),
        (error: unknown) => this.#finish({ ok: false, phase: "run", error }),
      );
  };

  readonly #error = (error: unknown): void => {
    if (this.#decide()) this.#finish({ ok: false, phase: "run", error });
  };

  readonly #aborted = (): void => {
    if (!this.#decide()) return;
    const error = asCancellation(this.#scope.reason, this.#tool.name);
    this.#finish({ ok: false, phase: "run", error });
  };

  // Methods, not bound fields: the callbacks every race needs are the three above; the others are
  // made only when used.
  #timedOut(timeoutMs: number): void {
    const name = this.#tool.name;
    this.#scope.abort(
      new RequestTimeoutError(`Tool "${name}" timed out after ${timeoutMs} ms.`, timeoutMs, { tool: name }),
    );
  }

  /** True for the first of value, error and abort to arrive; the race is over then. */
  #decide(): boolean {
    if (this.#decided) return false;
    this.#decided = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#scope.offAbort(this.#aborted);
    return true;
  }

  #finish(outcome: ToolOutcome): void {
    this.#resolve(closed(this.#scope, this.#shape, outcome));
  }
}
