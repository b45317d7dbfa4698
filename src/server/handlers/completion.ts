import { parseCompletionParams, complete as run } from "../completion-request.js";
import type { RequestCall, RequestHandler } from "../request-handler.js";

/** `completion/complete`: suggestions for a prompt argument (`ref/prompt`) or a template variable (`ref/resource`). */
export const complete: RequestHandler = async (call: RequestCall) => {
  const request = parseCompletionParams(call.params);
  const result = await run(call.core.resources, call.core.prompts, request, call.signal);
  return result as unknown as Record<string, unknown>;
};
