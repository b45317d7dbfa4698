import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import type { Ajv2020 } from "ajv/dist/2020.js";
import type addFormats from "ajv-formats";
import { FastestMcpError } from "../errors.js";
import { getBuiltinModule } from "../util/node-builtin.js";
import type { ValidationIssue, ValidationResult, Validator } from "./validator.js";

type AnyAjv = Ajv | Ajv2020;

/**
 * Compiles one JSON Schema into a {@link Validator}, once, when a tool is registered: the
 * `compileJsonSchema` server option, for runtimes where the default (Ajv) cannot run. Throw when
 * the schema is unusable; `addTool` reports it as `FMCP_ERR_SCHEMA_INVALID`.
 */
export type CompileJsonSchema = (schema: Record<string, unknown>) => Validator;

/** Where to read more, in the errors of a runtime that cannot run Ajv. */
const SEE_DOCS = "pass the compileJsonSchema server option (see docs/runtimes.md#json-schema-validation)";

// Ajv (and its formats) weigh ~6 MiB of RSS once loaded: servers whose schemas are all zod /
// Standard Schema never pay for it. It is CommonJS, so a synchronous require keeps addTool
// synchronous; the require comes from node:module at that moment (not imported: see
// util/node-builtin.ts), so runtimes without one can still load this module.
let nodeRequire: ((id: string) => unknown) | undefined;

function load<T>(id: string, label: string): T {
  let cause: unknown;
  try {
    nodeRequire ??= getBuiltinModule?.("node:module").createRequire(import.meta.url);
    if (nodeRequire !== undefined) return nodeRequire(id) as T;
  } catch (error) {
    cause = error;
  }
  const why = cause === undefined ? "it has no Node built-ins" : (cause as Error).message;
  throw new FastestMcpError(
    "FMCP_ERR_RUNTIME_UNSUPPORTED",
    `The ${label} needs a JSON Schema validator, and the default one (Ajv) cannot load on this runtime (${why}): ${SEE_DOCS}.`,
    { cause },
  );
}

function toIssue(error: ErrorObject): ValidationIssue {
  const path: Array<string | number> = error.instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required" && typeof params.missingProperty === "string") {
    return { path: [...path, params.missingProperty], message: "is required" };
  }
  if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
    return { path: [...path, params.additionalProperty], message: "is not an allowed property" };
  }
  return { path, message: error.message ?? `fails "${error.keyword}"` };
}

/**
 * Compiles raw JSON Schemas into validators with Ajv (the most complete and fastest JSON Schema
 * validator for JavaScript: it generates code per schema, so compiling once at registration makes
 * each call a plain function call). Draft 2020-12 is the default dialect, as MCP specifies; a
 * schema that declares draft-07 in `$schema` is compiled as draft-07.
 *
 * Where code generation is forbidden (Cloudflare Workers) or there is no CommonJS `require`, Ajv
 * cannot run: a {@link CompileJsonSchema} given to the constructor compiles instead.
 */
export class JsonSchemaCompiler {
  readonly #custom: CompileJsonSchema | undefined;
  #draft2020: Ajv2020 | undefined;
  #draft07: Ajv | undefined;

  /** @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` when `custom` is given and is not a function. */
  constructor(custom?: CompileJsonSchema) {
    if (custom !== undefined && typeof custom !== "function") {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        "compileJsonSchema must be a function (schema) => (value) => { ok, value } | { ok, issues }.",
      );
    }
    this.#custom = custom;
  }

  /** Compiles `schema`; `label` names it in errors ("input schema of tool \"x\""). */
  compile<T = unknown>(schema: Record<string, unknown>, label: string): Validator<T> {
    if (this.#custom !== undefined) return this.#compileCustom(schema, label) as Validator<T>;
    let validate: ValidateFunction;
    try {
      const ajv = this.#ajvFor(schema, label);
      validate = ajv.compile(schema);
      // Tools are independent: forget the schema's $id so another tool may reuse it.
      if (typeof schema.$id === "string") ajv.removeSchema(schema.$id);
    } catch (error) {
      if (error instanceof FastestMcpError) throw error;
      if (error instanceof EvalError) {
        // V8's answer to `new Function` where the embedder forbids code from strings.
        throw new FastestMcpError(
          "FMCP_ERR_RUNTIME_UNSUPPORTED",
          `The ${label} cannot be compiled by the default JSON Schema validator (Ajv), which generates ` +
            `code, and this runtime forbids code generation: ${SEE_DOCS}.`,
          { cause: error },
        );
      }
      throw new FastestMcpError(
        "FMCP_ERR_SCHEMA_INVALID",
        `The ${label} is not a valid JSON Schema: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return (value: unknown): ValidationResult<T> =>
      validate(value)
        ? { ok: true, value: value as T }
        : { ok: false, issues: (validate.errors ?? []).map(toIssue) };
  }

  #compileCustom(schema: Record<string, unknown>, label: string): Validator {
    let validate: unknown;
    try {
      validate = (this.#custom as CompileJsonSchema)(schema);
    } catch (error) {
      throw new FastestMcpError(
        "FMCP_ERR_SCHEMA_INVALID",
        `The ${label} is not a valid JSON Schema: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (typeof validate !== "function") {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `compileJsonSchema returned ${typeof validate} for the ${label}, not a validator function.`,
      );
    }
    return validate as Validator;
  }

  #ajvFor(schema: Record<string, unknown>, label: string): AnyAjv {
    const dialect = typeof schema.$schema === "string" ? schema.$schema : "";
    if (dialect.includes("draft-07") || dialect.includes("draft-06")) {
      this.#draft07 ??= this.#configure(
        new (load<{ Ajv: new (options: object) => Ajv }>("ajv", label).Ajv)({
          allErrors: true,
          strict: false,
        }),
        label,
      );
      return this.#draft07;
    }
    this.#draft2020 ??= this.#configure(
      new (load<{ Ajv2020: new (options: object) => Ajv2020 }>("ajv/dist/2020.js", label).Ajv2020)({
        allErrors: true,
        strict: false,
      }),
      label,
    );
    return this.#draft2020;
  }

  #configure<A extends AnyAjv>(ajv: A, label: string): A {
    load<{ default: typeof addFormats.default }>("ajv-formats", label).default(ajv);
    return ajv;
  }
}
