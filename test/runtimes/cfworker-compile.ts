import { Validator } from "@cfworker/json-schema";
import type { CompileJsonSchema } from "../../src/fetch.js";

/**
 * The `compileJsonSchema` of docs/runtimes.md: @cfworker/json-schema interprets schemas (no code
 * generation), so it runs on Cloudflare Workers, where Ajv cannot.
 */
export const compileWithCfworker: CompileJsonSchema = (schema) => {
  const draft = String(schema.$schema ?? "").includes("draft-07") ? "7" : "2020-12";
  const validator = new Validator(schema, draft, false); // false: report every error, not the first
  return (value) => {
    const { valid, errors } = validator.validate(value);
    if (valid) return { ok: true, value };
    const issues = errors.map((error) => ({
      path: error.instanceLocation.split("/").slice(1), // "#/user/name" → ["user", "name"]
      message: error.error,
    }));
    return { ok: false, issues };
  };
};
