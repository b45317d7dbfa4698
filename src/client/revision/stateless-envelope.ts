import { isObject } from "../../protocol/is-object.js";
import type { LogLevel } from "../../protocol/mcp-types.js";
import { META_KEYS } from "../../protocol/revisions/2026-07-28.js";
import { TASKS_EXTENSION } from "../../protocol/revisions/tasks-extension.js";

/** The methods of the tasks extension: a request to one declares the extension. */
const TASK_METHODS: ReadonlySet<string> = new Set(["tasks/get", "tasks/update", "tasks/cancel"]);

/**
 * What a 2026-07-28 client puts in every request's `params._meta` (there is no `initialize`
 * to say it once): the revision, the client's capabilities and who it is, and the lowest log
 * level it wants. The tasks extension is declared only on the requests that want a task (a
 * `tools/call` with a `task` option, `tasks/*`): the extension is opt-in per request, and a
 * plain call must stay a plain call even for a tool whose task support is optional.
 */
export class StatelessEnvelope {
  readonly protocolVersion: string;
  readonly #capabilities: Record<string, unknown>;
  readonly #withTasks: Record<string, unknown>;
  readonly #clientInfo: Record<string, unknown>;
  /** The level `setLogLevel` chose (or the client's default); undefined: no logs. */
  logLevel: LogLevel | undefined;

  constructor(
    protocolVersion: string,
    capabilities: Record<string, unknown>,
    clientInfo: Record<string, unknown>,
    logLevel: LogLevel | undefined,
  ) {
    this.protocolVersion = protocolVersion;
    this.#capabilities = capabilities;
    const extensions = isObject(capabilities.extensions) ? capabilities.extensions : {};
    this.#withTasks = { ...capabilities, extensions: { ...extensions, [TASKS_EXTENSION]: {} } };
    this.#clientInfo = clientInfo;
    this.logLevel = logLevel;
  }

  /**
   * `params` ready for the wire: the envelope in `_meta` (keys the caller set win), and 2025's
   * `task` hint turned into the extension's declaration (the hint means nothing on this revision).
   */
  wrap(method: string, params: Record<string, unknown>): Record<string, unknown> {
    const { task, _meta, ...rest } = params;
    const wantsTask = TASK_METHODS.has(method) || (method === "tools/call" && task !== undefined);
    const meta: Record<string, unknown> = {
      [META_KEYS.protocolVersion]: this.protocolVersion,
      [META_KEYS.clientCapabilities]: wantsTask ? this.#withTasks : this.#capabilities,
      [META_KEYS.clientInfo]: this.#clientInfo,
    };
    if (this.logLevel !== undefined) meta[META_KEYS.logLevel] = this.logLevel;
    if (isObject(_meta)) Object.assign(meta, _meta);
    return { ...rest, _meta: meta };
  }
}

/**
 * A 2026-07-28 result without the framing every result carries there (`resultType: "complete"`,
 * the server's `serverInfo` in `_meta`), so a call returns the same object on both revisions.
 * Cache hints (`ttlMs`, `cacheScope`) stay: they say something about this result. Any other
 * `resultType` (a task handle) is kept whole: it says what the result is.
 */
export function unframed(result: Record<string, unknown>): Record<string, unknown> {
  if (result.resultType !== "complete") return result;
  const { resultType: _complete, _meta, ...rest } = result;
  if (!isObject(_meta)) return rest;
  const { [META_KEYS.serverInfo]: _server, ...meta } = _meta;
  return Object.keys(meta).length === 0 ? rest : { ...rest, _meta: meta };
}
