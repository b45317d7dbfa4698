import { PromptNotFoundError } from "../../protocol/component-errors.js";
import { getPrompt as render } from "../prompt-runner.js";
import { objectParam, type RequestCall, type RequestHandler, stringParam } from "../request-handler.js";
import { wireHandlerCall } from "./wire-call.js";

/** `prompts/list`: every prompt at once (the list is cached until the set changes). */
export const listPrompts: RequestHandler = ({ core }) => ({ prompts: core.prompts.list() });

/** `prompts/get`: checks the arguments and renders the prompt's messages. */
export const getPrompt: RequestHandler = async (call: RequestCall) => {
  const name = stringParam(call, "name");
  const prompt = call.core.prompts.get(name);
  if (prompt === undefined) throw new PromptNotFoundError(name);
  const result = await render(prompt, objectParam(call, "arguments"), wireHandlerCall(call));
  return result as unknown as Record<string, unknown>;
};
