/**
 * MCP 2026-07-28 multi round-trip requests (SEP-2322): the wire shapes of an `input_required`
 * result and of the retry that answers it. A stateless server cannot send requests to the
 * client; a request that needs the client's input (an elicitation, a sampling, the roots) is
 * answered `input_required` with the input requests, keyed, and an opaque `requestState`; the
 * client retries the same request with `inputResponses` under the same keys and the state echoed.
 */

import { isObject } from "../is-object.js";
import { InvalidParamsError, ProtocolError } from "../protocol-error.js";
import { quote } from "../quote.js";
import { META_KEYS } from "./2026-07-28.js";

/** One request the server needs the client to answer: what the 2025 revisions sent as a request. */
export interface InputRequest {
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/** What the retry of an `input_required` request carries besides the original params. */
export interface InputRetry {
  /** The client's results, by the keys of the input requests; `undefined` when absent. */
  readonly inputResponses: Readonly<Record<string, Record<string, unknown>>> | undefined;
  /** The state the server sent, echoed; `undefined` when absent. */
  readonly requestState: string | undefined;
}

/** The params a retry adds to the original request's (left out of what binds a state to its request). */
export const RETRY_PARAMS: ReadonlySet<string> = new Set(["inputResponses", "requestState", "_meta"]);

/**
 * Reads the retry fields of a request's params.
 * @throws {InvalidParamsError} `input-responses-invalid` when `inputResponses` is not an object of
 * objects; `request-state-invalid` when `requestState` is not a string.
 */
export function readInputRetry(params: Record<string, unknown> | undefined): InputRetry {
  const responses = params?.inputResponses;
  const state = params?.requestState;
  if (responses !== undefined) {
    if (!isObject(responses)) {
      throw new InvalidParamsError(
        `inputResponses must be an object mapping each input request's key to the client's result, got ${quote(responses)}.`,
        "input-responses-invalid",
      );
    }
    for (const [key, value] of Object.entries(responses)) {
      if (!isObject(value)) throw invalidResponse(key, "must be the client's result, an object");
    }
  }
  if (state !== undefined && typeof state !== "string") {
    throw new ProtocolError("request-state-invalid", "requestState must be the string the server sent.");
  }
  return {
    inputResponses: responses as Record<string, Record<string, unknown>> | undefined,
    requestState: state,
  };
}

const ELICIT_ACTIONS: ReadonlySet<unknown> = new Set(["accept", "decline", "cancel"]);

/**
 * Checks that `response` is a result of `method` (the input request under `key`).
 * @throws {InvalidParamsError} `input-responses-invalid` when it is not.
 */
export function checkInputResponse(method: string, key: string, response: Record<string, unknown>): void {
  if (method === "elicitation/create") {
    if (!ELICIT_ACTIONS.has(response.action))
      throw invalidResponse(key, 'must be an elicitation result: action "accept", "decline" or "cancel"');
    if (response.action === "accept" && response.content !== undefined && !isObject(response.content))
      throw invalidResponse(key, "is an accepted elicitation whose content is not an object");
  } else if (method === "sampling/createMessage") {
    if (typeof response.model !== "string" || !isObject(response.content))
      throw invalidResponse(key, "must be a sampling result, with model and content");
  } else if (method === "roots/list") {
    if (
      !Array.isArray(response.roots) ||
      !response.roots.every((root) => isObject(root) && typeof root.uri === "string")
    )
      throw invalidResponse(key, "must be a roots result: roots, an array of { uri }");
  }
}

function invalidResponse(key: string, what: string): InvalidParamsError {
  return new InvalidParamsError(`inputResponses[${quote(key)}] ${what}.`, "input-responses-invalid", { key });
}

/**
 * The `input_required` result: the input requests by key and the state to echo, with the
 * revision's result `_meta` (who answered).
 */
export function inputRequiredResult(
  inputRequests: Readonly<Record<string, InputRequest>>,
  requestState: string,
  serverInfo: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return {
    resultType: "input_required",
    inputRequests,
    requestState,
    _meta: { [META_KEYS.serverInfo]: serverInfo },
  };
}
