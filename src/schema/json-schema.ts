import { createRequire } from "node:module";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import type { Ajv2020 } from "ajv/dist/2020.js";
import type addFormats from "ajv-formats";
import { FastestMcpError } from "../errors.js";
import type { ValidationIssue, ValidationResult, Validator } from "./validator.js";

type AnyAjv = Ajv | Ajv2020;

// Ajv (and its formats) weigh ~6 MiB of RSS once loaded: servers whose schemas are all zod /
// Standard Schema never pay for it. It is CommonJS, so a synchronous require keeps addTool synchronous.
const require = createRequire(import.meta.url);
const loadAjv = () => require("ajv") as { Ajv: new (options: object) => Ajv };
const loadAjv2020 = () => require("ajv/dist/2020.js") as { Ajv2020: new (options: object) => Ajv2020 };
const loadFormats = () => require("ajv-formats") as { default: typeof addFormats.default };

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
 */
export class JsonSchemaCompiler {
  #draft2020: Ajv2020 | undefined;
  #draft07: Ajv | undefined;

  /** Compiles `schema`; `label` names it in errors ("input schema of tool \"x\""). */
  compile<T = unknown>(schema: Record<string, unknown>, label: string): Validator<T> {
    let validate: ValidateFunction;
    try {
      const ajv = this.#ajvFor(schema);
      validate = ajv.compile(schema);
      // Tools are independent: forget the schema's $id so another tool may reuse it.
      if (typeof schema.$id === "string") ajv.removeSchema(schema.$id);
    } catch (error) {
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

  #ajvFor(schema: Record<string, unknown>): AnyAjv {
    const dialect = typeof schema.$schema === "string" ? schema.$schema : "";
    if (dialect.includes("draft-07") || dialect.includes("draft-06")) {
      this.#draft07 ??= this.#configure(new (loadAjv().Ajv)({ allErrors: true, strict: false }));
      return this.#draft07;
    }
    this.#draft2020 ??= this.#configure(new (loadAjv2020().Ajv2020)({ allErrors: true, strict: false }));
    return this.#draft2020;
  }

  #configure<A extends AnyAjv>(ajv: A): A {
    loadFormats().default(ajv);
    return ajv;
  }
}
