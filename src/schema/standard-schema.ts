import type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";
import { FastestMcpError } from "../errors.js";
import type { ValidationIssue, ValidationResult, Validator } from "./validator.js";

export type { StandardJSONSchemaV1, StandardSchemaV1 };

/** True when `value` implements Standard Schema v1 (zod 4, valibot, arktype, …). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const props = (value as { "~standard"?: { version?: unknown; validate?: unknown } })["~standard"];
  return (
    typeof props === "object" && props !== null && props.version === 1 && typeof props.validate === "function"
  );
}

function toPath(path: StandardSchemaV1.Issue["path"]): Array<string | number> {
  if (path === undefined) return [];
  return path.map((segment) => {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    return typeof key === "number" ? key : String(key);
  });
}

/** Wraps a Standard Schema's own `validate` as a {@link Validator}. */
export function standardValidator<T>(schema: StandardSchemaV1<unknown, T>): Validator<T> {
  const convert = (result: StandardSchemaV1.Result<T>): ValidationResult<T> =>
    result.issues === undefined
      ? { ok: true, value: result.value }
      : {
          ok: false,
          issues: result.issues.map(
            (issue): ValidationIssue => ({ path: toPath(issue.path), message: issue.message }),
          ),
        };
  return (value: unknown) => {
    const result = schema["~standard"].validate(value);
    return result instanceof Promise ? result.then(convert) : convert(result);
  };
}

const DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema";

/**
 * The JSON Schema a Standard Schema describes (its `~standard.jsonSchema`, Standard JSON Schema
 * v1, which zod >= 4.2 and other libraries provide), as the input or output side.
 * @throws {FastestMcpError} `FMCP_ERR_SCHEMA_UNSUPPORTED` when the library offers no JSON Schema.
 */
export function standardToJsonSchema(
  schema: StandardSchemaV1,
  side: "input" | "output",
  label: string,
): Record<string, unknown> {
  const converter = (schema["~standard"] as Partial<StandardJSONSchemaV1.Props>).jsonSchema;
  if (converter === undefined || typeof converter[side] !== "function") {
    throw new FastestMcpError(
      "FMCP_ERR_SCHEMA_UNSUPPORTED",
      `The ${label} is a Standard Schema from "${schema["~standard"].vendor}" that offers no JSON Schema ` +
        "(~standard.jsonSchema); use a library that implements Standard JSON Schema (zod >= 4.2) or pass a JSON Schema.",
    );
  }
  const json = { ...converter[side]({ target: "draft-2020-12" }) };
  // 2020-12 is MCP's default dialect: saying so again only makes tools/list bigger.
  if (json.$schema === DEFAULT_DIALECT) delete json.$schema;
  return json;
}
