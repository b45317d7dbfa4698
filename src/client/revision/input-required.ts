import type { ClientRequestHandler } from "../../context/client-messages.js";
import { isObject } from "../../protocol/is-object.js";
import { MethodNotFoundError, ProtocolError } from "../../protocol/protocol-error.js";

/** Rounds of `input_required` one call may take before it fails (the official SDK's default too). */
export const MAX_INPUT_ROUNDS = 10;

/** The handlers that answer a server's input requests (the same ones that answer 2025's requests). */
export interface InputHandlers {
  samplingHandler?: ClientRequestHandler | undefined;
  elicitationHandler?: ClientRequestHandler | undefined;
  rootsHandler?: ClientRequestHandler | undefined;
}

/** Which handler answers each input request method. */
const HANDLER_OF: Readonly<Record<string, keyof InputHandlers>> = {
  "sampling/createMessage": "samplingHandler",
  "elicitation/create": "elicitationHandler",
  "roots/list": "rootsHandler",
};

/** Whether a 2026-07-28 result asks for input before the call can complete. */
export function isInputRequired(result: Record<string, unknown>): boolean {
  return result.resultType === "input_required";
}

/**
 * Answers an `input_required` result the way a 2025 client answers the server's requests: each
 * of its `inputRequests` (`{ method, params }` under a key the server chose) goes to the handler
 * for its method, all at once, and `retry` sends the original request again with the answers as
 * `inputResponses` and the opaque `requestState` echoed as it came. A server may ask again (for
 * more, or for what was missing): at most {@link MAX_INPUT_ROUNDS} rounds.
 * @throws {MethodNotFoundError} for an input request no handler answers (sampling without
 * `samplingHandler`, elicitation without `elicitationHandler`, roots without `rootsHandler`).
 * @throws {ProtocolError} `input-required-rounds` when the server still asks after the last round.
 */
export async function fulfilInputRequired(
  method: string,
  first: Record<string, unknown>,
  handlers: InputHandlers,
  retry: (extra: Record<string, unknown>) => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  let result = first;
  for (let round = 1; isInputRequired(result); round++) {
    if (round > MAX_INPUT_ROUNDS) {
      throw new ProtocolError(
        "input-required-rounds",
        `${method} still asked for input after ${MAX_INPUT_ROUNDS} rounds of input_required answers.`,
        { method, rounds: MAX_INPUT_ROUNDS },
      );
    }
    const requests = isObject(result.inputRequests) ? result.inputRequests : {};
    const answers = await Promise.all(
      Object.entries(requests).map(async ([key, request]) => [key, await answer(request, handlers)] as const),
    );
    const extra: Record<string, unknown> = { inputResponses: Object.fromEntries(answers) };
    if (result.requestState !== undefined) extra.requestState = result.requestState;
    result = await retry(extra);
  }
  return result;
}

function answer(
  request: unknown,
  handlers: InputHandlers,
): Promise<Record<string, unknown>> | Record<string, unknown> {
  const method = isObject(request) ? request.method : undefined;
  const params = isObject(request) && isObject(request.params) ? request.params : {};
  const name = typeof method === "string" ? HANDLER_OF[method] : undefined;
  const handler = name === undefined ? undefined : handlers[name];
  if (handler === undefined) {
    throw new MethodNotFoundError(
      `The server asked for input with "${String(method)}", which this client does not handle: set ${name ?? "a handler for it"}.`,
    );
  }
  return handler(params);
}
