import { type ResolvedAuth, resolveAuth } from "../auth/auth-options.js";
import { DEFAULT_PROGRESS_INTERVAL_MS } from "../context/progress-tracker.js";
import { FastestMcpError } from "../errors.js";
import { type ProtocolRevision, REVISIONS, STATELESS_REVISIONS } from "../protocol/revisions.js";
import { JsonSchemaCompiler } from "../schema/json-schema.js";
import { TaskRuntime } from "../tasks/task-runtime.js";
import type { TaskStore } from "../tasks/task-store.js";
import type { DiagnosticLogger } from "../util/diagnostics.js";
import { resolveLogger } from "../util/diagnostics.js";
import {
  checkCacheHints,
  DEFAULT_CACHE_HINTS,
  type ResolvedCacheHints,
  resolveCacheHints,
} from "./cache-hints.js";
import { PromptRegistry } from "./prompts/prompt-registry.js";
import { ResourceRegistry } from "./resources/resource-registry.js";
import type { ServerOptions } from "./server-options.js";
import { RequestStateSeal } from "./session/request-state.js";
import type { InputRequiredSupport } from "./session/stateless-session.js";
import { LocalSubscriptionHub, type SubscriptionHub } from "./subscriptions/subscription-hub.js";
import { taskFedHub } from "./subscriptions/task-fed-hub.js";
import { QueuedTaskRelay } from "./tasks/queued-task-relay.js";
import { ToolRegistry } from "./tools/tool-registry.js";

/**
 * What the message dispatcher and the in-process API share: one server's registries, settings and
 * task runtime. Transports never see it; they talk to sessions.
 */
export interface ServerState {
  readonly name: string;
  readonly version: string;
  readonly options: Readonly<ServerOptions>;
  readonly tools: ToolRegistry;
  readonly resources: ResourceRegistry;
  readonly prompts: PromptRegistry;
  readonly progressIntervalMs: number;
  readonly maskErrorDetails: boolean;
  /** Where diagnostics go (the `logger` option, or the stderr default). */
  readonly logger: DiagnosticLogger;
  /** The revisions the `protocolVersions` option lets this server serve, newest first. */
  readonly revisions: ServedRevisions;
  /** `serverInfo` as results carry it (2026-07-28: in every result's `_meta`). */
  readonly serverInfo: Readonly<Record<string, unknown>>;
  /** What stateless requests need to answer `input_required` (the `requestState` option's seal). */
  readonly inputRequired: InputRequiredSupport;
  /** The `auth` option checked and prepared; `undefined` without authentication. */
  readonly auth?: ResolvedAuth | undefined;
  /**
   * Where list changes, resource updates and task events meet the open `subscriptions/listen`
   * streams: the backend's hub when it has one (several instances), else this instance's.
   */
  readonly subscriptions: SubscriptionHub;
  /** The `cache` option completed: what a component without its own `cache` option gets. */
  readonly cacheDefaults: ResolvedCacheHints;
  /** The task runtime, created on first use. */
  taskRuntime(): TaskRuntime;
  /** Queued tasks' progress and logs, to the callers that started them here (with a job queue). */
  readonly queuedRelay: QueuedTaskRelay;
}

/** The revisions a server serves: negotiated by `initialize` (legacy) or named per request (stateless). */
export interface ServedRevisions {
  readonly legacy: readonly ProtocolRevision[];
  readonly stateless: readonly ProtocolRevision[];
}

/** @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for an unknown version or an empty list. */
function servedRevisions(versions: readonly string[] | undefined): ServedRevisions {
  if (versions === undefined) return { legacy: REVISIONS, stateless: STATELESS_REVISIONS };
  const known = [...STATELESS_REVISIONS, ...REVISIONS].map((revision) => revision.version);
  const unknown = Array.isArray(versions)
    ? versions.filter((version) => !known.includes(version))
    : [versions];
  if (unknown.length > 0 || versions.length === 0) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `protocolVersions must list at least one of ${known.join(", ")}; got ${JSON.stringify(versions)}.`,
    );
  }
  return {
    legacy: REVISIONS.filter((revision) => versions.includes(revision.version)),
    stateless: STATELESS_REVISIONS.filter((revision) => versions.includes(revision.version)),
  };
}

/**
 * The task store: the backend's, else `tasks.store` (else the runtime's default).
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` when both are given: which one holds the tasks would be a guess.
 */
function taskStore(options: ServerOptions): TaskStore | undefined {
  const { backend } = options;
  if (backend === undefined) return options.tasks?.store;
  if (options.tasks?.store !== undefined) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `Give either backend (${String(backend.name)}) or tasks.store, not both: the backend supplies the task store.`,
    );
  }
  if (typeof backend !== "object" || backend === null || typeof backend.taskStore !== "object") {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      "backend must be a Backend, e.g. redisBackend({ url }) from fastestmcp/redis.",
    );
  }
  return backend.taskStore;
}

/**
 * Checks a server's name and options and builds what its dispatcher and in-process API share:
 * registries, settings and the task runtime (created now so bad task options fail here; it
 * starts no timer until the first task).
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for an empty name, a bad interval, logger, task, backend, auth, protocolVersions, requestState or cache option.
 */
export function createServerState(name: string, options: ServerOptions): ServerState {
  if (typeof name !== "string" || name.length === 0) {
    throw new FastestMcpError("FMCP_ERR_OPTION_INVALID", "A server needs a non-empty name.");
  }
  const interval = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  if (!Number.isFinite(interval) || interval < 0) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `progressIntervalMs must be a number of milliseconds >= 0, got ${String(options.progressIntervalMs)}.`,
    );
  }
  const logger = resolveLogger(options.logger);
  if (logger === undefined) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      "logger must be an object with warn(message, details) and error(message, details) methods (debug and info are optional).",
    );
  }
  const auth = resolveAuth(options.auth);
  const revisions = servedRevisions(options.protocolVersions);
  const tasks = new TaskRuntime({
    logger,
    ...options.tasks,
    store: taskStore(options),
    events: options.backend?.events ?? options.tasks?.events,
    queue: options.backend?.queue ?? options.tasks?.queue,
  });
  const cacheDefaults = resolveCacheHints(checkCacheHints(options.cache, "the server"), DEFAULT_CACHE_HINTS);
  // Task changes reach the subscriptions/listen streams that name the task, fed only while one is open.
  const subscriptions = taskFedHub(
    options.backend?.subscriptionHub ?? new LocalSubscriptionHub(logger),
    tasks,
  );
  const version = options.version ?? "0.0.0";
  const serverInfo: Record<string, unknown> = { name, version };
  if (options.title !== undefined) serverInfo.title = options.title;
  Object.freeze(serverInfo);
  return {
    name,
    version,
    serverInfo,
    inputRequired: { seal: new RequestStateSeal(options.requestState), serverInfo },
    options: Object.freeze({ ...options }),
    tools: new ToolRegistry(new JsonSchemaCompiler(options.compileJsonSchema)),
    resources: new ResourceRegistry(),
    prompts: new PromptRegistry(),
    progressIntervalMs: interval,
    maskErrorDetails: options.maskErrorDetails === true,
    logger,
    revisions,
    auth,
    subscriptions,
    cacheDefaults,
    taskRuntime: () => tasks,
    queuedRelay: new QueuedTaskRelay(tasks),
  };
}
