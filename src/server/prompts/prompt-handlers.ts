import { PromptNotFoundError } from "../../protocol/component-errors.js";
import { withCacheHints } from "../cache-hints.js";
import {
  noCursor,
  objectParam,
  progressTokenOf,
  type RequestHandler,
  stringParam,
} from "../dispatch/request-handler.js";
import { getPrompt as render } from "./prompt-runner.js";

/** `prompts/list`: every prompt the caller may use, at once. */
export const listPrompts: RequestHandler = (scope) => {
  noCursor(scope);
  const { core, auth } = scope;
  return withCacheHints(
    { prompts: core.prompts.visible(auth) },
    core.prompts.cacheHints(auth, core.cacheDefaults),
  );
};

/** `prompts/get`: checks the arguments and renders the prompt's messages. */
export const getPrompt: RequestHandler = async (scope) => {
  const name = stringParam(scope, "name");
  // A prompt the caller may not use is unknown to it.
  const prompt = scope.core.prompts.find(name, scope.auth);
  if (prompt === undefined) throw new PromptNotFoundError(name);
  const args = objectParam(scope, "arguments");
  scope.progressToken = progressTokenOf(scope);
  const result = await render(prompt, args, scope);
  return result as unknown as Record<string, unknown>;
};
