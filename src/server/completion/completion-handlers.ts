import type { RequestHandler } from "../dispatch/request-handler.js";
import { parseCompletionParams, complete as run } from "./completion-request.js";

/** `completion/complete`: suggestions for a prompt argument (`ref/prompt`) or a template variable (`ref/resource`). */
export const complete: RequestHandler = async (scope) => {
  const request = parseCompletionParams(scope.params);
  const result = await run(scope.core.resources, scope.core.prompts, request, scope.signal, scope.auth);
  return result as unknown as Record<string, unknown>;
};
