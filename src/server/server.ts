import { DEFAULT_PROGRESS_INTERVAL_MS } from "../context/progress-tracker.js";
import { FastestMcpError } from "../errors.js";
import { PromptNotFoundError } from "../protocol/component-errors.js";
import type { CallToolResult, ToolDefinition } from "../protocol/mcp-types.js";
import type {
  CompleteResult,
  CompletionReference,
  GetPromptResult,
  Prompt,
} from "../protocol/prompt-types.js";
import { MethodNotFoundError, ToolNotFoundError } from "../protocol/protocol-error.js";
import type { ReadResourceResult, Resource, ResourceTemplate } from "../protocol/resource-types.js";
import { JsonSchemaCompiler } from "../schema/json-schema.js";
import type { TaskEventListener } from "../tasks/task-events.js";
import { TaskRuntime } from "../tasks/task-runtime.js";
import type { TaskPage } from "../tasks/task-store.js";
import { type Task, type TaskInfo, toTask, toTaskInfo } from "../tasks/task-view.js";
import { type DiagnosticLogger, resolveLogger } from "../util/diagnostics.js";
import {
  type CallToolAsTaskOptions,
  type CallToolOptions,
  LOCAL_OWNER,
  type TaskOwnerOptions,
  type TaskRef,
} from "./call-options.js";
import { localClientRequests, withTaskStatus } from "./client-requester.js";
import { complete, parseCompletionParams } from "./completion-request.js";
import {
  type ListChangedMethod,
  ListChangedNotifier,
  sendResourceUpdated,
} from "./component-notifications.js";
import { Dispatcher } from "./dispatcher.js";
import { type LocalRequestOptions, localHandlerCall } from "./handler-context.js";
import type { InferPromptArgs, PromptArguments, PromptHandler, PromptOptions } from "./prompt-options.js";
import { PromptRegistry } from "./prompt-registry.js";
import { getPrompt } from "./prompt-runner.js";
import type {
  ResourceHandler,
  ResourceOptions,
  ResourceTemplateHandler,
  ResourceTemplateOptions,
} from "./resource-options.js";
import { readResource } from "./resource-reader.js";
import { ResourceRegistry } from "./resource-registry.js";
import type { ServerCore, ServerOptions } from "./server-core.js";
import { SessionManager } from "./session-manager.js";
import type { InferToolArgs, ToolHandler, ToolOptions, ToolSchema } from "./tool-options.js";
import { type RegisteredTool, ToolRegistry } from "./tool-registry.js";
import { settleToolResult } from "./tool-result.js";
import { runTool, type ToolInvocation } from "./tool-runner.js";
import { startToolTask, storedResult, storedValue, type TaskRequest } from "./tool-task.js";

export type { ServerOptions };
export { type CallToolAsTaskOptions, type CallToolOptions, LOCAL_OWNER, type TaskOwnerOptions, type TaskRef };

/**
 * The transport-agnostic server (what `FastestMCP` adds transports to): tools, resources, prompts
 * and tasks, plus the in-process API that tests and embedders use. The same dispatch serves every
 * transport.
 *
 * ```ts
 * const server = FastestMCP.server("progress", { version: "1.0.0" }).addTool("track", (args, ctx) => …);
 * await server.callTool("track", {}, { onProgress: console.log });
 * ```
 */
export class FastestMCPServer {
  /** Creates a server. Same as `new FastestMCP(name, options)`. */
  static server<T extends typeof FastestMCPServer>(
    this: T,
    name: string,
    options: ServerOptions = {},
  ): InstanceType<T> {
    return new this(name, options) as InstanceType<T>;
  }

  readonly name: string;
  readonly version: string;
  readonly options: Readonly<ServerOptions>;
  /** Where this server's diagnostics go: the `logger` option, or one line per event on stderr. */
  readonly logger: DiagnosticLogger;
  /** Live wire sessions; transports create and end them. */
  readonly sessions: SessionManager;
  readonly #core: ServerCore;
  #nextRequestId = 0;
  readonly #tasks: TaskRuntime;

  constructor(name: string, options: ServerOptions = {}) {
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
    this.name = name;
    this.version = options.version ?? "0.0.0";
    this.options = Object.freeze({ ...options });
    this.logger = logger;
    // Created now so bad task options fail here; it starts no timer until the first task.
    this.#tasks = new TaskRuntime({ logger, ...options.tasks });
    this.#core = {
      name,
      version: this.version,
      options: this.options,
      tools: new ToolRegistry(new JsonSchemaCompiler()),
      resources: new ResourceRegistry(),
      prompts: new PromptRegistry(),
      progressIntervalMs: interval,
      maskErrorDetails: options.maskErrorDetails === true,
      logger,
      taskRuntime: () => this.#tasks,
    };
    this.sessions = new SessionManager(this.#core, new Dispatcher(this.#core));
  }

  /**
   * Registers a tool and returns the server, so calls chain. Schemas are compiled here, once.
   * @throws {FastestMcpError} on an invalid name, a duplicate, a bad schema or option.
   */
  addTool<S extends ToolSchema | undefined = undefined, R = unknown>(
    name: string,
    handler: ToolHandler<InferToolArgs<S>, R>,
    options?: ToolOptions<S>,
  ): this {
    this.#core.tools.add(name, handler as ToolHandler<never>, options);
    this.#notifyListChanged("notifications/tools/list_changed");
    return this;
  }

  /** Unregisters a tool; returns whether it existed. */
  removeTool(name: string): boolean {
    const removed = this.#core.tools.remove(name);
    if (removed) this.#notifyListChanged("notifications/tools/list_changed");
    return removed;
  }

  /** The tools as `tools/list` returns them. */
  listTools(): readonly ToolDefinition[] {
    return this.#core.tools.list();
  }

  // Resources, resource templates, prompts and completion (see docs/resources.md, docs/prompts.md).

  #listChanged: ListChangedNotifier | undefined;

  /**
   * Registers a resource at a fixed URI and returns the server. Sessions are told with
   * `notifications/resources/list_changed`.
   * @throws {FastestMcpError} on an invalid URI, a duplicate, a handler that is not a function or a bad option.
   */
  addResource(uri: string, handler: ResourceHandler, options?: ResourceOptions): this {
    this.#core.resources.addResource(uri, handler, options);
    this.#notifyListChanged("notifications/resources/list_changed");
    return this;
  }

  /** Unregisters a resource; returns whether it existed. */
  removeResource(uri: string): boolean {
    const removed = this.#core.resources.removeResource(uri);
    if (removed) this.#notifyListChanged("notifications/resources/list_changed");
    return removed;
  }

  /**
   * Registers a resource template (RFC 6570 level 1, e.g. `file:///logs/{date}`) and returns the
   * server. Its handler gets `(uri, variables, ctx)`.
   * @throws {FastestMcpError} on an invalid template, a duplicate, a bad handler or `complete` option.
   */
  addResourceTemplate(
    uriTemplate: string,
    handler: ResourceTemplateHandler,
    options?: ResourceTemplateOptions,
  ): this {
    this.#core.resources.addTemplate(uriTemplate, handler, options);
    this.#notifyListChanged("notifications/resources/list_changed");
    return this;
  }

  /** Unregisters a resource template; returns whether it existed. */
  removeResourceTemplate(uriTemplate: string): boolean {
    const removed = this.#core.resources.removeTemplate(uriTemplate);
    if (removed) this.#notifyListChanged("notifications/resources/list_changed");
    return removed;
  }

  /** The resources as `resources/list` returns them. */
  listResources(): readonly Resource[] {
    return this.#core.resources.listResources();
  }

  /** The resource templates as `resources/templates/list` returns them. */
  listResourceTemplates(): readonly ResourceTemplate[] {
    return this.#core.resources.listTemplates();
  }

  /**
   * Reads a resource in-process, exactly as `resources/read` does.
   * Rejects with `ResourceNotFoundError` (-32002) when no resource or template serves the URI.
   */
  readResource(uri: string, options: LocalRequestOptions = {}): Promise<ReadResourceResult> {
    return readResource(this.#core.resources, uri, this.#localCall(options));
  }

  /**
   * Sends `notifications/resources/updated` to every session subscribed to `uri`; returns how
   * many sessions were told.
   */
  notifyResourceUpdated(uri: string): number {
    return sendResourceUpdated(this.sessions, uri);
  }

  /**
   * Registers a prompt and returns the server. Sessions are told with `notifications/prompts/list_changed`.
   * @throws {FastestMcpError} on an invalid name, a duplicate, a bad handler, arguments or `complete` option.
   */
  addPrompt<A extends PromptArguments | undefined = undefined>(
    name: string,
    handler: PromptHandler<InferPromptArgs<A>>,
    options?: PromptOptions<A>,
  ): this {
    this.#core.prompts.add(name, handler as PromptHandler<never>, options);
    this.#notifyListChanged("notifications/prompts/list_changed");
    return this;
  }

  /** Unregisters a prompt; returns whether it existed. */
  removePrompt(name: string): boolean {
    const removed = this.#core.prompts.remove(name);
    if (removed) this.#notifyListChanged("notifications/prompts/list_changed");
    return removed;
  }

  /** The prompts as `prompts/list` returns them. */
  listPrompts(): readonly Prompt[] {
    return this.#core.prompts.list();
  }

  /**
   * Renders a prompt in-process, exactly as `prompts/get` does. Rejects with `PromptNotFoundError`
   * or `InvalidParamsError` (-32602) for an unknown prompt, a missing or invalid argument.
   */
  async getPrompt(
    name: string,
    args?: Record<string, string>,
    options: LocalRequestOptions = {},
  ): Promise<GetPromptResult> {
    const prompt = this.#core.prompts.get(name);
    if (prompt === undefined) throw new PromptNotFoundError(name);
    return getPrompt(prompt, args, this.#localCall(options));
  }

  /**
   * Completes a prompt argument or template variable in-process, exactly as `completion/complete`
   * does. Rejects with `InvalidParamsError` (-32602) for an unknown reference or argument.
   */
  async complete(
    ref: CompletionReference,
    argument: { name: string; value: string },
    options: { arguments?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<CompleteResult> {
    const request = parseCompletionParams({ ref, argument, context: { arguments: options.arguments } });
    const signal = options.signal ?? new AbortController().signal;
    return complete(this.#core.resources, this.#core.prompts, request, signal);
  }

  #notifyListChanged(method: ListChangedMethod): void {
    this.#listChanged ??= new ListChangedNotifier(this.sessions);
    this.#listChanged.notify(method);
  }

  #localCall(options: LocalRequestOptions) {
    return localHandlerCall(
      options,
      `local-${++this.#nextRequestId}`,
      this.name,
      this.#core.progressIntervalMs,
      this.logger,
    );
  }

  /**
   * Calls a tool in-process and returns the handler's own value.
   * Rejects with `ToolNotFoundError` / `InvalidParamsError` (code -32602) for an unknown tool or
   * invalid arguments, with the handler's error if it throws, `RequestTimeoutError` (-32001) on
   * timeout and `CancelledError` when `signal` aborts. A tool whose task mode is `required`
   * rejects with `MethodNotFoundError` (-32601): call it with `{ task: true }`.
   */
  callTool<T = unknown>(
    name: string,
    args?: Record<string, unknown>,
    options?: CallToolOptions & { task?: false },
  ): Promise<T>;
  /**
   * Starts the tool as a background task and resolves at once with the task (`status: "working"`).
   * Progress is persisted on the task record (see {@link fetchTask}); `onProgress` still receives it.
   * Rejects with `MethodNotFoundError` (-32601) when the tool's task mode is `forbidden`.
   */
  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallToolAsTaskOptions,
  ): Promise<Task>;
  async callTool(
    name: string,
    args?: Record<string, unknown>,
    options: CallToolOptions & TaskOwnerOptions & { task?: boolean | TaskRequest } = {},
  ): Promise<unknown> {
    const tool = this.#resolve(name);
    if (options.task !== undefined && options.task !== false) {
      const record = await this.#startTask(tool, args, options.task === true ? {} : options.task, options);
      // For a task, the caller's signal cancels the task.
      options.signal?.addEventListener(
        "abort",
        () => {
          this.cancelTask(record.taskId, options).catch(() => undefined);
        },
        { once: true },
      );
      return toTask(record);
    }
    this.#assertImmediateAllowed(tool);
    const outcome = await runTool(this.#invocation(tool, args, options));
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  /**
   * Calls a tool in-process and returns the MCP `CallToolResult`, exactly what `tools/call`
   * answers on the wire: handler failures and invalid arguments become `isError: true` results;
   * unknown tools, timeouts, progress misuse and cancellation reject.
   */
  async callToolResult(
    name: string,
    args?: Record<string, unknown>,
    options: CallToolOptions = {},
  ): Promise<CallToolResult> {
    const tool = this.#resolve(name);
    this.#assertImmediateAllowed(tool);
    const outcome = await runTool(this.#invocation(tool, args, options));
    return settleToolResult(tool.name, outcome, this.#core.maskErrorDetails);
  }

  /** The task with its status and stored progress `{ current, total, message, reportedAt }`. */
  async fetchTask(task: TaskRef, options: TaskOwnerOptions = {}): Promise<TaskInfo> {
    return toTaskInfo(await this.#core.taskRuntime().get(ownerOf(options), idOf(task)));
  }

  /**
   * Waits for the task to finish and resolves with the handler's value, or rejects with the
   * error it threw (a cancelled task rejects with `CancelledError`). For a task that ran in
   * another process sharing the store, the stored result stands in for the value.
   * @throws {FastestMcpError} `FMCP_ERR_TASK_AWAIT_TIMEOUT` after `timeoutMs`; the task keeps running.
   */
  async awaitTask<T = unknown>(
    task: TaskRef,
    timeoutMs?: number,
    options: TaskOwnerOptions = {},
  ): Promise<T> {
    const runtime = this.#core.taskRuntime();
    const owner = ownerOf(options);
    const local = await runtime.localOutcome(owner, idOf(task), timeoutMs);
    if (local !== undefined) {
      if (local.ok) return local.value as T;
      throw local.error;
    }
    return storedValue(await runtime.waitForTerminal(owner, idOf(task), timeoutMs)) as T;
  }

  /**
   * The task's `CallToolResult` once it is terminal (waiting until then), exactly what
   * `tasks/result` returns; rethrows the JSON-RPC error the call ended with.
   */
  async taskResult(
    task: TaskRef,
    options: TaskOwnerOptions & { timeoutMs?: number } = {},
  ): Promise<CallToolResult> {
    const runtime = this.#core.taskRuntime();
    const owner = ownerOf(options);
    const record = await runtime.waitForTerminal(owner, idOf(task), options.timeoutMs);
    const local = await runtime.localOutcome(owner, record.taskId);
    return storedResult(record, local?.ok === false ? local.error : undefined);
  }

  /** One page of the owner's tasks, oldest first; pass `nextCursor` back for the next page. */
  async listTasks(
    options: TaskOwnerOptions & { cursor?: string; pageSize?: number } = {},
  ): Promise<{ tasks: TaskInfo[]; nextCursor?: string }> {
    const page: TaskPage = await this.#core.taskRuntime().list(ownerOf(options), options);
    const tasks = page.tasks.map(toTaskInfo);
    return page.nextCursor === undefined ? { tasks } : { tasks, nextCursor: page.nextCursor };
  }

  /**
   * Cancels an unfinished task: it is `cancelled` when this resolves and its `ctx.signal` aborts.
   * @throws {TaskTerminalError} (-32602) when the task already finished.
   */
  async cancelTask(task: TaskRef, options: TaskOwnerOptions = {}): Promise<TaskInfo> {
    return toTaskInfo(await this.#core.taskRuntime().cancel(ownerOf(options), idOf(task)));
  }

  /** Subscribes to task status changes and persisted progress; returns the unsubscribe function. */
  onTaskEvent(listener: TaskEventListener): () => void {
    return this.#core.taskRuntime().on(listener);
  }

  /** Ends every session, cancels unfinished tasks and stops background timers. */
  async close(): Promise<void> {
    await this.sessions.endAll();
    await this.#tasks.close();
  }

  #resolve(name: string): RegisteredTool {
    const tool = this.#core.tools.get(name);
    if (tool === undefined) throw new ToolNotFoundError(name);
    return tool;
  }

  #assertImmediateAllowed(tool: RegisteredTool): void {
    if (tool.taskSupport === "required") {
      throw new MethodNotFoundError(
        `Tool "${tool.name}" only runs as a task: call it with task augmentation ({ task: true }).`,
        "task-required",
        { tool: tool.name },
      );
    }
  }

  #startTask(
    tool: RegisteredTool,
    args: unknown,
    request: TaskRequest,
    options: CallToolAsTaskOptions | CallToolOptions,
  ) {
    if (tool.taskSupport === "forbidden") {
      throw new MethodNotFoundError(
        `Tool "${tool.name}" does not support task execution: call it without a task, or declare { task: true } on the tool.`,
        "task-not-supported",
        { tool: tool.name },
      );
    }
    const { tool: _tool, signal: _signal, client, ...invocation } = this.#invocation(tool, args, options);
    const runtime = this.#core.taskRuntime();
    const owner = ownerOf(options as TaskOwnerOptions);
    return startToolTask({
      runtime,
      tool,
      owner,
      request,
      maskErrorDetails: this.#core.maskErrorDetails,
      invocation,
      clientFor: (taskId) =>
        client === undefined ? undefined : withTaskStatus(client, runtime, owner, taskId),
    });
  }

  #invocation(tool: RegisteredTool, args: unknown, options: CallToolOptions): ToolInvocation {
    const { onProgress, onLog } = options;
    return {
      tool,
      args,
      requestId: `local-${++this.#nextRequestId}`,
      serverName: this.name,
      progressSink: onProgress ? { onProgress } : undefined,
      progressIntervalMs: this.#core.progressIntervalMs,
      logSink: onLog ? { onLog } : undefined,
      logLevel: options.logLevel,
      signal: options.signal,
      timeoutMs: options.timeout,
      client: localClientRequests(options),
      logger: this.logger,
    };
  }
}

function ownerOf(options: TaskOwnerOptions): string {
  return options.owner ?? LOCAL_OWNER;
}

function idOf(task: TaskRef): string {
  return typeof task === "string" ? task : task.taskId;
}
