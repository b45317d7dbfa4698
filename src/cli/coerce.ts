import { UsageError } from "./exit-codes.js";

/** The part of a JSON Schema coercion reads. */
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: unknown;
  items?: Schema;
  enum?: unknown[];
}

/**
 * The arguments of a tool call from `--json` and `key=value` words, each value converted to what
 * the tool's input schema says the key holds: the shell only has strings, the tool wants
 * `count: 3`, not `"3"`. Keys the schema does not know are refused when it forbids extra keys,
 * and required keys must be there: both are command-line mistakes, caught before the call.
 * @throws {UsageError}
 */
export function toolArguments(
  inputSchema: unknown,
  json: string | undefined,
  assignments: readonly string[],
): Record<string, unknown> {
  const schema = (typeof inputSchema === "object" && inputSchema !== null ? inputSchema : {}) as Schema;
  const args = json === undefined ? {} : parseJsonObject(json);
  const properties = schema.properties ?? {};
  for (const word of assignments) {
    const equals = word.indexOf("=");
    if (equals <= 0) throw new UsageError(`"${word}" is not key=value.`);
    const key = word.slice(0, equals);
    const text = word.slice(equals + 1);
    const property = properties[key];
    if (property === undefined && schema.additionalProperties === false) {
      const known = Object.keys(properties).join(", ") || "none";
      throw new UsageError(`The tool takes no argument "${key}" (it takes: ${known}).`);
    }
    args[key] = coerce(key, text, property);
  }
  const missing = (schema.required ?? []).filter((key) => !(key in args));
  if (missing.length > 0) throw new UsageError(`Missing required argument(s): ${missing.join(", ")}.`);
  return args;
}

/** `text` as the type `schema` wants; a schema without a type takes JSON when it parses, else the text. */
export function coerce(key: string, text: string, schema: Schema | undefined): unknown {
  const types = typesOf(schema);
  if (types.length === 0) return jsonOrText(text);
  const failures: string[] = [];
  for (const type of types) {
    const value = asType(text, type, schema as Schema);
    if (value !== FAILED) return value;
    failures.push(type);
  }
  throw new UsageError(`${key}=${text}: expected ${failures.join(" or ")}.`);
}

const FAILED = Symbol("failed");
const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

function asType(text: string, type: string, schema: Schema): unknown {
  switch (type) {
    case "string":
      return text;
    case "number":
    case "integer": {
      const value = Number(text);
      if (text.trim() === "" || !Number.isFinite(value)) return FAILED;
      return type === "integer" && !Number.isInteger(value) ? FAILED : value;
    }
    case "boolean":
      if (TRUE.has(text.toLowerCase())) return true;
      return FALSE.has(text.toLowerCase()) ? false : FAILED;
    case "null":
      return text === "null" ? null : FAILED;
    case "array": {
      if (text.trimStart().startsWith("[")) return parsed(text, Array.isArray);
      if (text === "") return [];
      return text.split(",").map((item, index) => coerce(`${index}`, item, schema.items));
    }
    case "object":
      return parsed(text, (value) => typeof value === "object" && value !== null && !Array.isArray(value));
    default:
      return jsonOrText(text);
  }
}

function typesOf(schema: Schema | undefined): string[] {
  if (schema === undefined) return [];
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) {
    // Try the narrow types first so "null" and "3" are not taken as strings.
    return [...schema.type].sort((a, b) => Number(a === "string") - Number(b === "string"));
  }
  if (Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === "string"))
    return ["string"];
  return [];
}

function parsed(text: string, accept: (value: unknown) => boolean): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return accept(value) ? value : FAILED;
  } catch {
    return FAILED;
  }
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseJsonObject(json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`--json is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError("--json must be a JSON object of arguments.");
  }
  return value as Record<string, unknown>;
}
