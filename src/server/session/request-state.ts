import { FastestMcpError } from "../../errors.js";
import { isObject } from "../../protocol/is-object.js";
import { ProtocolError } from "../../protocol/protocol-error.js";
import { RETRY_PARAMS } from "../../protocol/revisions/input-required.js";
import { canonicalJson } from "../../util/canonical-json.js";
import { sha256Base64Url, TokenSigner } from "../../util/signed-token.js";

/** Options of the `requestState` a 2026-07-28 `input_required` result carries (server option `requestState`). */
export interface RequestStateOptions {
  /**
   * The HMAC-SHA256 key that signs every `requestState` (a string is taken as UTF-8; use 32
   * random bytes or more). Default: a random key per process, so a retry reaching another
   * process (a restart, another instance behind a load balancer) is refused with
   * `request-state-invalid`: several instances serving one endpoint need the same secret.
   */
  secret?: string | Uint8Array;
  /** How long a `requestState` is honoured, in milliseconds (default 600,000: 10 minutes). */
  ttlMs?: number;
}

const DEFAULT_TTL_MS = 10 * 60_000;
const STATE_VERSION = 1;

/** What a state is bound to: the request (method and a digest of its params) and the caller. */
export interface StateBinding {
  readonly method: string;
  readonly digest: string;
  readonly owner: string;
}

/**
 * Binds a request: its method, a SHA-256 of its params (canonical JSON, without `_meta` and the
 * retry's own fields: the name or URI and the arguments) and its owner (the `auth` identity).
 */
export async function bindingOf(
  method: string,
  params: Record<string, unknown> | undefined,
  owner: string,
): Promise<StateBinding> {
  const salient: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params ?? {})) if (!RETRY_PARAMS.has(key)) salient[key] = value;
  return { method, digest: await sha256Base64Url(canonicalJson(salient)), owner };
}

/**
 * Seals and opens the `requestState` of `input_required` results: the answers gathered in earlier
 * rounds, signed (HMAC-SHA256), with an expiry, and bound to the request and the caller, so a
 * client can neither forge answers nor replay a state on another call or as another identity.
 * Signed, not encrypted: the client can read the answers it gave.
 */
export class RequestStateSeal {
  readonly #signer: TokenSigner;
  readonly #ttlMs: number;
  readonly #now: () => number;

  /** @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for an empty secret or a bad `ttlMs`. */
  constructor(options: RequestStateOptions = {}, now: () => number = Date.now) {
    const { secret, ttlMs = DEFAULT_TTL_MS } = options;
    if (secret !== undefined && typeof secret !== "string" && !(secret instanceof Uint8Array)) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        "requestState.secret must be a string or a Uint8Array.",
      );
    }
    if (secret !== undefined && (typeof secret === "string" ? secret.length : secret.byteLength) === 0) {
      throw new FastestMcpError("FMCP_ERR_OPTION_INVALID", "requestState.secret must not be empty.");
    }
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `requestState.ttlMs must be a number of milliseconds > 0, got ${String(ttlMs)}.`,
      );
    }
    this.#signer = new TokenSigner(secret);
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** The state carrying `answers` for the request `binding` names. */
  seal(binding: StateBinding, answers: Readonly<Record<string, unknown>>): Promise<string> {
    return this.#signer.sign({
      v: STATE_VERSION,
      m: binding.method,
      d: binding.digest,
      o: binding.owner,
      e: this.#now() + this.#ttlMs,
      a: answers,
    });
  }

  /**
   * The answers a state carries, once it checks out for the request `binding` names.
   * @throws {ProtocolError} (-32602) `request-state-invalid` (not signed here: tampered, or
   * another secret), `request-state-expired`, `request-state-mismatch` (another request or caller).
   */
  async open(state: string, binding: StateBinding): Promise<Record<string, unknown>> {
    const payload = await this.#signer.verify(state);
    if (!isObject(payload) || payload.v !== STATE_VERSION || !isObject(payload.a)) {
      throw new ProtocolError(
        "request-state-invalid",
        "requestState failed its integrity check: it was altered, or signed by a server with another requestState.secret. Echo it exactly as sent, or call again without it.",
      );
    }
    if (typeof payload.e !== "number" || payload.e <= this.#now()) {
      throw new ProtocolError(
        "request-state-expired",
        "requestState has expired: call again without it (and without inputResponses) to start over.",
      );
    }
    if (payload.m !== binding.method || payload.d !== binding.digest) {
      throw new ProtocolError(
        "request-state-mismatch",
        `requestState was issued for another request: retry the same ${binding.method} with the same name, URI and arguments.`,
      );
    }
    if (payload.o !== binding.owner) {
      throw new ProtocolError("request-state-mismatch", "requestState was issued to another caller.");
    }
    return payload.a;
  }
}
