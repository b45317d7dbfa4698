import { PromptNotFoundError } from "../../protocol/component-errors.js";
import {
  noCursor,
  objectParam,
  progressTokenOf,
  type RequestHandler,
  stringParam,
} from "../dispatch/request-handler.js";
import { getPrompt as render } from "./prompt-runner.js";

/** `prompts/list`: every prompt at once (the list is cached until the set changes). */
export const listPrompts: RequestHandler = (scope) => {
  noCursor(scope);
  return { prompts: scope.core.prompts.list() };
};

/** `prompts/get`: checks the arguments and renders the prompt's messages. */
export const getPrompt: RequestHandler = async (scope) => {
  const name = stringParam(scope, "name");
  const prompt = scope.core.prompts.get(name);
  if (prompt === undefined) throw new PromptNotFoundError(name);
  const args = objectParam(scope, "arguments");
  scope.progressToken = progressTokenOf(scope);
  const result = await render(prompt, args, scope);
  return result as unknown as Record<string, unknown>;
};
