import { type AccessRule, accessRule } from "../../auth/component-access.js";
import { FastestMcpError } from "../../errors.js";
import type { AuthInfo } from "../../protocol/auth-info.js";
import type { JsonSchemaObject, TaskSupport, ToolDefinition } from "../../protocol/mcp-types.js";
import type { JsonSchemaCompiler } from "../../schema/json-schema.js";
import { isStandardSchema, standardToJsonSchema, standardValidator } from "../../schema/standard-schema.js";
import type { Validator } from "../../schema/validator.js";
import { type CacheHints, checkCacheHints, type ResolvedCacheHints } from "../cache-hints.js";
import { ComponentMap } from "../component-map.js";
import { type HeaderParam, headerParamsOf } from "./param-headers.js";
import type { ToolHandler, ToolOptions, ToolSchema, ToolTaskOptions } from "./tool-options.js";

/** MCP 2025-11-25 tool-name guidance: 1–128 characters from A-Z a-z 0-9 _ - . */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** Everything needed to run a tool, computed once at registration. */
export interface RegisteredTool {
  readonly name: string;
  /** Its `cache` option, checked (2026-07-28 `tools/list` hints). */
  readonly cache: CacheHints | undefined;
  readonly definition: ToolDefinition;
  readonly handler: ToolHandler<unknown>;
  readonly validateInput: Validator | undefined;
  readonly validateOutput: Validator | undefined;
  readonly taskSupport: TaskSupport;
  readonly task: Readonly<Omit<ToolTaskOptions, "mode">>;
  readonly timeoutMs: number | undefined;
  /** Who may use it (`requiredScopes`, `canAccess`); undefined: everyone. */
  readonly access: AccessRule | undefined;
  /** Its `x-mcp-header` parameters (SEP-2243), checked against `Mcp-Param-*` headers; undefined: none. */
  readonly headerParams: readonly HeaderParam[] | undefined;
}

function compileSchema(
  schema: ToolSchema,
  side: "input" | "output",
  label: string,
  compiler: JsonSchemaCompiler,
): { json: JsonSchemaObject; validate: Validator } {
  if (isStandardSchema(schema)) {
    const json = standardToJsonSchema(schema, side, label);
    if (json.type !== "object") {
      throw new FastestMcpError(
        "FMCP_ERR_SCHEMA_INVALID",
        `The ${label} must describe an object (MCP requires type "object").`,
      );
    }
    return { json: json as JsonSchemaObject, validate: standardValidator(schema) };
  }
  if (typeof schema !== "object" || schema === null || schema.type !== "object") {
    throw new FastestMcpError(
      "FMCP_ERR_SCHEMA_INVALID",
      `The ${label} must be a JSON Schema object with type "object", or a Standard Schema (zod 4, …).`,
    );
  }
  return { json: schema, validate: compiler.compile(schema, label) };
}

function taskSupportOf(task: ToolOptions["task"]): TaskSupport {
  if (task === undefined || task === false) return "forbidden";
  if (task === true) return "optional";
  return task.mode ?? "optional";
}

/** The server's tools by name, with the `tools/list` payload cached until the set changes. */
export class ToolRegistry {
  readonly #tools = new ComponentMap<RegisteredTool, ToolDefinition>();
  readonly #compiler: JsonSchemaCompiler;

  constructor(compiler: JsonSchemaCompiler) {
    this.#compiler = compiler;
  }

  /** Validates, compiles and stores a tool. Throws `FastestMcpError` on any misuse. */
  add(name: string, handler: ToolHandler<never>, options: ToolOptions = {}): RegisteredTool {
    if (typeof name !== "string" || !TOOL_NAME.test(name)) {
      throw new FastestMcpError(
        "FMCP_ERR_TOOL_NAME_INVALID",
        `Tool name ${JSON.stringify(name)} is invalid: use 1-128 characters from A-Z, a-z, 0-9, "_", "-" and ".".`,
      );
    }
    if (this.#tools.has(name)) {
      throw new FastestMcpError("FMCP_ERR_TOOL_DUPLICATE", `A tool named "${name}" is already registered.`);
    }
    if (typeof handler !== "function") {
      throw new FastestMcpError(
        "FMCP_ERR_TOOL_HANDLER_INVALID",
        `The handler of tool "${name}" must be a function.`,
      );
    }
    if (options.timeout !== undefined && !(Number.isFinite(options.timeout) && options.timeout > 0)) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `The timeout of tool "${name}" must be a number of milliseconds > 0, got ${String(options.timeout)}.`,
      );
    }
    const input = options.inputSchema
      ? compileSchema(options.inputSchema, "input", `input schema of tool "${name}"`, this.#compiler)
      : undefined;
    const output = options.outputSchema
      ? compileSchema(options.outputSchema, "output", `output schema of tool "${name}"`, this.#compiler)
      : undefined;
    const headerParams = headerParamsOf(input?.json ?? {});
    if (headerParams !== undefined && !Array.isArray(headerParams)) {
      throw new FastestMcpError(
        "FMCP_ERR_SCHEMA_INVALID",
        `The input schema of tool "${name}" has an invalid x-mcp-header: ${(headerParams as { invalid: string }).invalid}`,
      );
    }
    const taskSupport = taskSupportOf(options.task);
    const prepare = typeof options.task === "object" ? options.task.prepare : undefined;
    if (prepare !== undefined && typeof prepare !== "function") {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `The task.prepare of tool "${name}" must be a function (args, ctx) => arguments.`,
      );
    }
    const access = accessRule(options, `tool "${name}"`);
    const cache = checkCacheHints(options.cache, `tool "${name}"`);

    const definition: ToolDefinition = { name, inputSchema: input?.json ?? { type: "object" } };
    if (options.title !== undefined) definition.title = options.title;
    if (options.description !== undefined) definition.description = options.description;
    if (output !== undefined) definition.outputSchema = output.json;
    if (options.annotations !== undefined) definition.annotations = options.annotations;
    if (taskSupport !== "forbidden") definition.execution = { taskSupport };
    if (options._meta !== undefined) definition._meta = options._meta;

    const { mode: _mode, ...task } = typeof options.task === "object" ? options.task : {};
    const tool: RegisteredTool = {
      name,
      definition,
      handler: handler as ToolHandler<unknown>,
      validateInput: input?.validate,
      validateOutput: output?.validate,
      taskSupport,
      task,
      timeoutMs: options.timeout,
      access,
      headerParams: headerParams as readonly HeaderParam[] | undefined,
      cache,
    };
    this.#tools.add(name, tool);
    return tool;
  }

  /** Removes a tool; returns whether it existed. */
  remove(name: string): boolean {
    return this.#tools.remove(name);
  }

  get(name: string): RegisteredTool | undefined {
    return this.#tools.get(name);
  }

  /** The tool `auth` may use by that name; undefined, as for an unknown name, when it may not. */
  find(name: string, auth: AuthInfo | undefined): RegisteredTool | undefined {
    return this.#tools.find(name, auth);
  }

  /** The `tools/list` payload for `auth`: the cached list while no tool has an access rule. */
  visible(auth: AuthInfo | undefined): readonly ToolDefinition[] {
    return this.#tools.visible(auth);
  }

  /** The cache hints of `visible(auth)` on 2026-07-28 (see `listCacheHints`). */
  cacheHints(auth: AuthInfo | undefined, defaults: ResolvedCacheHints): ResolvedCacheHints {
    return this.#tools.cacheHints(auth, defaults);
  }

  /** The `tools/list` payload; the same array until a tool is added or removed. Do not mutate. */
  list(): readonly ToolDefinition[] {
    return this.#tools.list();
  }

  get size(): number {
    return this.#tools.size;
  }
}
