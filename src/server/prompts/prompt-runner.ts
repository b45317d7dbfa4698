import type { GetPromptResult } from "../../protocol/prompt-types.js";
import { InvalidParamsError } from "../../protocol/protocol-error.js";
import { formatIssues } from "../../schema/validator.js";
import type { RequestScope } from "../dispatch/request-scope.js";
import { withContext } from "../dispatch/with-context.js";
import type { RegisteredPrompt } from "./prompt-registry.js";
import { toGetPromptResult } from "./prompt-result.js";

/**
 * Checks a prompt's arguments (an object, as `prompts/get` made sure): strings only, every
 * required argument present, and valid for the prompt's schema when it has one. Resolves with
 * what the handler gets.
 * @throws {InvalidParamsError} (-32602) `invalid-prompt-arguments` or `prompt-argument-missing`.
 */
export async function checkPromptArguments(
  prompt: RegisteredPrompt,
  args: Record<string, unknown> | undefined,
): Promise<unknown> {
  const values = args ?? {};
  const notString = Object.keys(values).filter((name) => typeof values[name] !== "string");
  if (notString.length > 0) {
    throw new InvalidParamsError(
      `Invalid arguments for prompt "${prompt.name}": ${notString.map((name) => `"${name}"`).join(", ")} must be ${notString.length === 1 ? "a string" : "strings"} (prompt arguments are always strings).`,
      "invalid-prompt-arguments",
      { prompt: prompt.name, arguments: notString },
    );
  }
  const missing = prompt.required.filter((name) => values[name] === undefined);
  if (missing.length > 0) {
    throw new InvalidParamsError(
      `Prompt "${prompt.name}" needs the argument${missing.length === 1 ? "" : "s"} ${missing.map((name) => `"${name}"`).join(", ")}.`,
      "prompt-argument-missing",
      { prompt: prompt.name, arguments: missing },
    );
  }
  if (prompt.validate === undefined) return values;
  const checked = await prompt.validate(values);
  if (checked.ok) return checked.value;
  throw new InvalidParamsError(
    `Invalid arguments for prompt "${prompt.name}": ${formatIssues(checked.issues)}`,
    "invalid-prompt-arguments",
    { prompt: prompt.name, issues: checked.issues },
  );
}

/**
 * Renders a prompt for `scope` (a `prompts/get` request, from a session or in-process): checks
 * its arguments, runs its handler with a Context and maps the value to a `GetPromptResult`.
 */
export async function getPrompt(
  prompt: RegisteredPrompt,
  args: Record<string, unknown> | undefined,
  scope: RequestScope,
): Promise<GetPromptResult> {
  const checked = await checkPromptArguments(prompt, args);
  const value = await withContext(scope, `Prompt "${prompt.name}"`, (ctx) => prompt.handler(checked, ctx));
  return toGetPromptResult(value, prompt.name, prompt.definition.description);
}
