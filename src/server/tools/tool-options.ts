import type { ComponentAccessOptions } from "../../auth/component-access.js";
import type { Context } from "../../context/context.js";
import type {
  CallToolResult,
  JsonSchemaObject,
  TaskSupport,
  ToolAnnotations,
} from "../../protocol/mcp-types.js";
import type { StandardSchemaV1 } from "../../schema/standard-schema.js";
import type { CacheHints } from "../cache-hints.js";

/** A tool's input or output schema: a raw JSON Schema object, or a Standard Schema (zod 4, …). */
export type ToolSchema = JsonSchemaObject | StandardSchemaV1;

/** The handler's `args` type for a given input schema: inferred for Standard Schemas. */
export type InferToolArgs<S> =
  S extends StandardSchemaV1<unknown, infer Output> ? Output : Record<string, unknown>;

/**
 * The structured content a tool's output schema describes, as the handler returns it and a client
 * receives it: a Standard Schema's input type (the result is validated, not transformed); for a raw
 * JSON Schema, any object. Type a client call with it: `client.callTool<InferToolOutput<typeof Out>>(…)`.
 */
export type InferToolOutput<S> =
  S extends StandardSchemaV1<infer Input, unknown> ? Input : Record<string, unknown>;

/**
 * What a handler may return for output schema `O`: with a Standard Schema, the structured value
 * itself or a whole `CallToolResult` carrying it (an `isError` result needs none), so a mismatch
 * fails to compile instead of failing the call; with a raw JSON Schema or none, anything.
 */
export type ToolReturn<O> = O extends StandardSchemaV1
  ? InferToolOutput<O> | CallToolResult<InferToolOutput<O>>
  : unknown;

/**
 * A tool handler. It may ignore either argument (`() => …`, `(args) => …`) and may be sync or
 * async. Its return value is the tool's result (see `docs/tools.md` for how values map to MCP
 * content); throw a `ToolError` for a failure the model should read.
 */
export type ToolHandler<Args = Record<string, unknown>, Result = unknown> = (
  args: Args,
  ctx: Context,
) => Result | Promise<Result>;

/** How a tool runs as an MCP Task (background work with a task record). */
export interface ToolTaskOptions {
  /** `optional` (default with `task: true`): callers choose; `required`: only as a task; `forbidden`: never. */
  mode?: TaskSupport;
  /** Suggested milliseconds between `tasks/get` polls. */
  pollInterval?: number;
  /** Default task time-to-live in milliseconds (`null`: unlimited, when the server allows it). */
  ttl?: number | null;
  /**
   * Runs in the call itself before the task is created, with the call's arguments (not yet
   * validated: the task validates what this returns): ask the user here (`ctx.elicit`,
   * `ctx.sample`, `ctx.listRoots`) for what the task needs. Returns the arguments the task runs
   * with (`undefined`: the call's). On 2026-07-28 its asks are `input_required` rounds of the
   * `tools/call`, and the round that answers them all gets the task handle; on 2025 revisions
   * and in-process they are requests to the client, as in any handler. See docs/tasks.md.
   */
  prepare?: (
    args: Record<string, unknown>,
    ctx: Context,
  ) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;
}

/** Options of `server.addTool(name, handler, options)`; `S` and `O` are the input and output schemas' types. */
export interface ToolOptions<
  S extends ToolSchema | undefined = ToolSchema | undefined,
  O extends ToolSchema | undefined = ToolSchema | undefined,
> extends ComponentAccessOptions {
  /** What the tool does, for the model. */
  description?: string;
  /** A display name for people. */
  title?: string;
  /** Validates `args` before the handler runs; listed as the tool's JSON Schema. */
  inputSchema?: S;
  /** Describes and validates the tool's structured result; a Standard Schema also types the handler's return. */
  outputSchema?: O;
  /** Behaviour hints (read-only, destructive, …). */
  annotations?: ToolAnnotations;
  /** `true` (= `{ mode: "optional" }`) or task options; default: no task support. */
  task?: boolean | ToolTaskOptions;
  /** Milliseconds before `ctx.signal` aborts and the call fails with a timeout error. */
  timeout?: number;
  /** Extra metadata listed as the tool's `_meta`. */
  _meta?: Record<string, unknown>;
  /** How long `tools/list` may be reused on 2026-07-28 (default: the server's `cache` option). */
  cache?: CacheHints;
}
