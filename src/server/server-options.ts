import type { AuthOptions } from "../auth/auth-options.js";
import type { CompileJsonSchema } from "../schema/json-schema.js";
import type { TaskRuntimeOptions } from "../tasks/task-runtime.js";
import type { DiagnosticLogger } from "../util/diagnostics.js";
import type { Backend } from "./backend.js";
import type { CacheHints } from "./cache-hints.js";
import type { RequestStateOptions } from "./session/request-state.js";

/** Options of `FastestMCP.server(name, options)`. */
export interface ServerOptions {
  /**
   * The `ttlMs` and `cacheScope` that 2026-07-28 list and read results and `server/discover`
   * carry when a component's own `cache` option does not say (default `{ ttlMs: 0, cacheScope:
   * "private" }`: do not reuse). See docs/tools.md#caching-on-2026-07-28.
   */
  cache?: CacheHints;
  /** The server's version, sent in `serverInfo`. Default `"0.0.0"`. */
  version?: string;
  /** A display name for people. */
  title?: string;
  /** Instructions for the model on how to use this server, sent at `initialize`. */
  instructions?: string;
  /** Replace the text of unexpected handler errors with a generic message in tool results. */
  maskErrorDetails?: boolean;
  /**
   * Minimum milliseconds between two progress deliveries per request (default 50). Updates in
   * between are coalesced; the latest and the final state are always delivered. `0` turns the
   * time limit off: each synchronous batch of changes (e.g. `increment().setMessage(…)`) is delivered.
   */
  progressIntervalMs?: number;
  /**
   * The MCP protocol versions this server serves (default: all it knows, `2026-07-28` per request
   * and `2025-11-25`, `2025-06-18`, `2025-03-26` through `initialize`). Leave one out to refuse it:
   * a stateless request naming it gets `-32022` (HTTP 400) and `server/discover` no longer lists
   * it; `initialize` negotiates among the listed 2025 ones and is refused when none is listed.
   * See docs/revisions.md.
   */
  protocolVersions?: readonly string[];
  /**
   * How the `requestState` of MCP 2026-07-28 `input_required` results is signed and how long it
   * is honoured (`ctx.elicit()`, `ctx.sample()` and `ctx.listRoots()` on a stateless request). The
   * default key is random per process: **several instances behind one endpoint need the same
   * `secret`**, or a retry reaching another instance is refused. See docs/revisions.md.
   */
  requestState?: RequestStateOptions;
  /** Background task limits and storage (TTL caps, per-owner limit, `TaskStore`). */
  tasks?: TaskRuntimeOptions;
  /**
   * Shared state for several instances of this server, e.g. `redisBackend({ url })` from
   * `fastestmcp/redis`: it supplies the task store (so `tasks.store` must not be set too). The
   * server owns it: `close()` closes it. See docs/tasks.md#stores.
   */
  backend?: Backend;
  /**
   * Sessions open at once, over every transport (default 10,000; an idle one costs ~8 KiB). Past
   * it, a new session is refused with `SessionLimitError` (`-32005`; over HTTP `503` with
   * `Retry-After`); open sessions are not affected.
   */
  maxSessions?: number;
  /**
   * Where the server reports failures that no response carries (a handler's unexpected error, a
   * listener that threw, a task store that failed): `console`, a pino/winston adapter, or
   * `{ warn() {}, error() {} }` to silence it. Default: one line per event on stderr, prefixed
   * `[fastestmcp]`, without stack traces. See docs/http.md#logging.
   */
  logger?: DiagnosticLogger;
  /**
   * Compiles the raw JSON Schemas of tools (input and output) instead of Ajv, the default, which
   * generates code and so cannot run where code generation is forbidden (Cloudflare Workers).
   * zod and other Standard Schemas validate themselves and never need it. See
   * docs/runtimes.md#json-schema-validation.
   */
  compileJsonSchema?: CompileJsonSchema;
  /**
   * Makes the HTTP endpoint an OAuth 2.1 resource server (MCP "Authorization"): every request
   * needs a valid bearer token, the server publishes its RFC 9728 metadata, handlers read the
   * caller as `ctx.auth`, and tasks belong to the caller's identity. Checked here, at construction.
   * See docs/auth.md. Not set: no authentication (stdio never has any).
   */
  auth?: AuthOptions;
}
