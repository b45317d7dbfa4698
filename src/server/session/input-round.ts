import { ProtocolError } from "../../protocol/protocol-error.js";
import { checkInputResponse, type InputRequest } from "../../protocol/revisions/input-required.js";
import { canonicalJson } from "../../util/canonical-json.js";

/** The short name a default key starts with, per input request method. */
const KEY_PREFIX: Readonly<Record<string, string>> = {
  "elicitation/create": "elicit",
  "sampling/createMessage": "sample",
  "roots/list": "roots",
};

/**
 * One attempt at a 2026-07-28 request that may ask the client for input (SEP-2322). The handler
 * runs from the start on every attempt; its n-th `ctx.elicit()`/`ctx.sample()`/`ctx.listRoots()`
 * gets the answer stored under its key, from this retry's `inputResponses` or from an earlier
 * round's (in the signed `requestState`). An ask without an answer is recorded and fails with
 * `input-required`; once the handler settles, the request is answered `input_required` listing
 * every recorded ask (so asks made in parallel go out together), and the state carries the
 * answers this attempt used. Answers under keys nobody asks for are ignored.
 */
export class InputRound {
  /** Answers by key: this retry's, then (winning) the signed ones of earlier rounds. */
  readonly #answers: Readonly<Record<string, unknown>>;
  /** Asks made so far in this attempt: the n-th ask's default key carries n. */
  #asked = 0;
  /** Asks without an answer, by key: the `inputRequests` of the `input_required` result. */
  readonly pending = new Map<string, InputRequest>();
  /** Answers the handler got, by key: what the next `requestState` carries. */
  readonly used: Record<string, unknown> = {};
  /** An answer that does not fit its request: the attempt fails with it. */
  invalid: ProtocolError | undefined = undefined;

  constructor(
    responses: Readonly<Record<string, unknown>> | undefined,
    earlier: Readonly<Record<string, unknown>> | undefined,
  ) {
    this.#answers = earlier === undefined ? (responses ?? {}) : { ...responses, ...earlier };
  }

  /**
   * The answer to `method` with `params`, under `key` (default: `<kind>-<n>-<hash of params>`,
   * so a handler that asks something else as its n-th question gets no stale answer).
   * @throws {ProtocolError} `input-required` when there is no answer yet (the ask is recorded);
   * `input-responses-invalid` when the answer does not fit the request.
   */
  ask(method: string, params: Record<string, unknown>, key?: string): Record<string, unknown> {
    const index = this.#asked++;
    const inputKey = key ?? `${KEY_PREFIX[method] ?? "input"}-${index}-${fnv1a(canonicalJson(params))}`;
    const answer = this.#answers[inputKey] as Record<string, unknown> | undefined;
    if (answer === undefined) {
      this.pending.set(inputKey, { method, params });
      throw new ProtocolError(
        "input-required",
        `${method} needs the client's answer under "${inputKey}": this attempt ends with an input_required result.`,
        { key: inputKey },
      );
    }
    try {
      checkInputResponse(method, inputKey, answer);
    } catch (error) {
      this.invalid ??= error as ProtocolError;
      throw error;
    }
    this.used[inputKey] = answer;
    return answer;
  }
}

/** FNV-1a (32 bits) of `text`, in hex: a short fingerprint, not a security measure. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
