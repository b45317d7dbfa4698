import type { CallToolResult, ToolDefinition } from "../protocol/mcp-types.js";
import type {
  CompleteResult,
  CompletionReference,
  GetPromptResult,
  Prompt,
} from "../protocol/prompt-types.js";
import type { ReadResourceResult, Resource, ResourceTemplate } from "../protocol/resource-types.js";
import type { TaskActivityListener, TaskEventListener } from "../tasks/task-events.js";
import type { TaskRecord } from "../tasks/task-record.js";
import type { TaskPage } from "../tasks/task-store.js";
import { type Task, type TaskInfo, toTask, toTaskInfo } from "../tasks/task-view.js";
import type { DiagnosticLogger } from "../util/diagnostics.js";
import type { AuthOption, LocalRequestOptions } from "./call-options.js";
import {
  type CallToolAsTaskOptions,
  type CallToolOptions,
  LOCAL_OWNER,
  NO_LOCAL_OPTIONS,
  type TaskOwnerOptions,
  type TaskRef,
  taskIdOf,
} from "./call-options.js";
import { ListChangedNotifier, sendResourceUpdated } from "./component-notifications.js";
import { Dispatcher } from "./dispatch/dispatcher.js";
import type {
  InferPromptArgs,
  PromptArguments,
  PromptHandler,
  PromptOptions,
} from "./prompts/prompt-options.js";
import type {
  ResourceHandler,
  ResourceOptions,
  ResourceTemplateHandler,
  ResourceTemplateOptions,
} from "./resources/resource-options.js";
import type { UriTemplateVariables } from "./resources/uri-template/uri-template-types.js";
import { ROUTES } from "./routes.js";
import type { ServerOptions } from "./server-options.js";
import type { ServerState } from "./server-state.js";
import { createServerState } from "./server-state.js";
import { LocalSession } from "./session/local-session.js";
import { SessionManager } from "./session/session-manager.js";
import { type RunWorkerOptions, ServerWorker, type WorkerHandle } from "./tasks/server-worker.js";
import { awaitedValue } from "./tasks/task-handlers.js";
import type {
  InferToolArgs,
  ToolHandler,
  ToolOptions,
  ToolReturn,
  ToolSchema,
} from "./tools/tool-options.js";
import { storedResult, type TaskRequest } from "./tools/tool-task.js";

export type { RunWorkerOptions, ServerOptions, WorkerHandle };

/** `params.task` of `callTool(…, { task: true })`: one shared object, kept by every task's request. */
const NO_TASK_PARAMS: TaskRequest = Object.freeze({});

export { type CallToolAsTaskOptions, type CallToolOptions, LOCAL_OWNER, type TaskOwnerOptions, type TaskRef };

/**
 * The transport-agnostic server (what `FastestMCP` adds transports to): tools, resources, prompts
 * and tasks, plus the in-process API that tests and embedders use. One dispatch serves every
 * transport and the in-process API: its calls are requests on a session of its own.
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
  readonly #core: ServerState;
  /** Where the in-process API's requests go: the same dispatcher as every wire session's. */
  readonly #local: LocalSession;
  readonly #worker: ServerWorker;

  constructor(name: string, options: ServerOptions = {}) {
    this.#core = createServerState(name, options);
    this.name = name;
    this.version = this.#core.version;
    this.options = this.#core.options;
    this.logger = this.#core.logger;
    const dispatcher = new Dispatcher(this.#core, ROUTES);
    this.sessions = new SessionManager(this.#core, dispatcher);
    this.#local = new LocalSession(this.#core, dispatcher);
    this.#listChanged = new ListChangedNotifier(this.sessions, this.#core.subscriptions);
    this.#worker = new ServerWorker(this.#core, this.#local);
  }

  /**
   * Registers a tool and returns the server, so calls chain. Schemas are compiled here, once.
   * @throws {FastestMcpError} on an invalid name, a duplicate, a bad schema or option.
   */
  addTool<S extends ToolSchema | undefined = undefined, O extends ToolSchema | undefined = undefined>(
    name: string,
    handler: ToolHandler<InferToolArgs<S>, ToolReturn<O>>,
    options?: ToolOptions<S, O>,
  ): this {
    this.#core.tools.add(name, handler as ToolHandler<never>, options);
    this.#listChanged.notify("notifications/tools/list_changed");
    return this;
  }

  /** Unregisters a tool; returns whether it existed. */
  removeTool(name: string): boolean {
    const removed = this.#core.tools.remove(name);
    if (removed) this.#listChanged.notify("notifications/tools/list_changed");
    return removed;
  }

  /** The tools as `tools/list` returns them (with `{ auth }`: as that identity sees them). */
  listTools(options?: AuthOption): readonly ToolDefinition[] {
    return options === undefined ? this.#core.tools.list() : this.#core.tools.visible(options.auth);
  }

  // Resources, resource templates, prompts and completion (see docs/resources.md, docs/prompts.md).
  readonly #listChanged: ListChangedNotifier;

  /**
   * Registers a resource at a fixed URI and returns the server. Sessions are told with
   * `notifications/resources/list_changed`.
   * @throws {FastestMcpError} on an invalid URI, a duplicate, a handler that is not a function or a bad option.
   */
  addResource(uri: string, handler: ResourceHandler, options?: ResourceOptions): this {
    this.#core.resources.addResource(uri, handler, options);
    this.#listChanged.notify("notifications/resources/list_changed");
    return this;
  }

  /** Unregisters a resource; returns whether it existed. */
  removeResource(uri: string): boolean {
    const removed = this.#core.resources.removeResource(uri);
    if (removed) this.#listChanged.notify("notifications/resources/list_changed");
    return removed;
  }

  /**
   * Registers a resource template (RFC 6570, e.g. `file:///logs/{date}` or `file:///{+path}{?lines}`)
   * and returns the server. Its handler gets `(uri, variables, ctx)`, `variables` typed from the template.
   * @throws {FastestMcpError} on an invalid template, a duplicate, a bad handler or `complete` option.
   */
  addResourceTemplate<T extends string>(
    uriTemplate: T,
    handler: ResourceTemplateHandler<UriTemplateVariables<T>>,
    options?: ResourceTemplateOptions<T>,
  ): this {
    this.#core.resources.addTemplate(uriTemplate, handler, options);
    this.#listChanged.notify("notifications/resources/list_changed");
    return this;
  }

  /** Unregisters a resource template; returns whether it existed. */
  removeResourceTemplate(uriTemplate: string): boolean {
    const removed = this.#core.resources.removeTemplate(uriTemplate);
    if (removed) this.#listChanged.notify("notifications/resources/list_changed");
    return removed;
  }

  /** The resources as `resources/list` returns them (with `auth`: those that identity may read). */
  listResources(options?: AuthOption): readonly Resource[] {
    return options
      ? this.#core.resources.visibleResources(options.auth)
      : this.#core.resources.listResources();
  }

  /** The resource templates as `resources/templates/list` returns them (with `auth`: that identity's). */
  listResourceTemplates(options?: AuthOption): readonly ResourceTemplate[] {
    return options
      ? this.#core.resources.visibleTemplates(options.auth)
      : this.#core.resources.listTemplates();
  }

  /**
   * Reads a resource in-process, exactly as `resources/read` does.
   * Rejects with `ResourceNotFoundError` (-32002) when no resource or template serves the URI.
   */
  readResource(uri: string, options: LocalRequestOptions = NO_LOCAL_OPTIONS): Promise<ReadResourceResult> {
    return this.#local.call<ReadResourceResult>("resources/read", { uri }, options);
  }

  /**
   * Sends `notifications/resources/updated` to every session subscribed to `uri` and every
   * `subscriptions/listen` stream naming it (2026-07-28); returns how many were told here.
   */
  notifyResourceUpdated(uri: string): number {
    return sendResourceUpdated(this.sessions, this.#core.subscriptions, uri);
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
    this.#listChanged.notify("notifications/prompts/list_changed");
    return this;
  }

  /** Unregisters a prompt; returns whether it existed. */
  removePrompt(name: string): boolean {
    const removed = this.#core.prompts.remove(name);
    if (removed) this.#listChanged.notify("notifications/prompts/list_changed");
    return removed;
  }

  /** The prompts as `prompts/list` returns them (with `auth`: those that identity may use). */
  listPrompts(options?: AuthOption): readonly Prompt[] {
    return options === undefined ? this.#core.prompts.list() : this.#core.prompts.visible(options.auth);
  }

  /**
   * Renders a prompt in-process, exactly as `prompts/get` does. Rejects with `PromptNotFoundError`
   * or `InvalidParamsError` (-32602) for an unknown prompt, a missing or invalid argument.
   */
  getPrompt(
    name: string,
    args?: Record<string, string>,
    options: LocalRequestOptions = NO_LOCAL_OPTIONS,
  ): Promise<GetPromptResult> {
    const params = { name, arguments: args };
    return this.#local.call<GetPromptResult>("prompts/get", params, options);
  }

  /**
   * Completes a prompt argument or template variable in-process, exactly as `completion/complete`
   * does. Rejects with `InvalidParamsError` (-32602) for an unknown reference or argument.
   */
  complete(
    ref: CompletionReference,
    argument: { name: string; value: string },
    options: { arguments?: Record<string, string>; signal?: AbortSignal } & AuthOption = {},
  ): Promise<CompleteResult> {
    const params = { ref, argument, context: { arguments: options.arguments } };
    const local = { signal: options.signal, auth: options.auth };
    return this.#local.call<CompleteResult>("completion/complete", params, local);
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
  callTool(
    name: string,
    args?: Record<string, unknown>,
    options: CallToolOptions & TaskOwnerOptions & { task?: boolean | TaskRequest } = NO_LOCAL_OPTIONS,
  ): Promise<unknown> {
    const { task } = options;
    if (task === undefined || task === false) return this.#local.callNow(name, args, options);
    // Chained, not async: thousands of tasks started at once each held a suspended frame here
    // until every one of them was created.
    return this.#local
      .startTask({ name, arguments: args, task: task === true ? NO_TASK_PARAMS : task }, options)
      .then(toTask);
  }

  /**
   * Calls a tool in-process and returns the MCP `CallToolResult`, exactly what `tools/call`
   * answers on the wire: handler failures and invalid arguments become `isError: true` results;
   * unknown tools, timeouts, progress misuse and cancellation reject. `T` types
   * `structuredContent` (e.g. `InferToolOutput<typeof outputSchema>`); it is not checked here.
   */
  callToolResult<T = Record<string, unknown>>(
    name: string,
    args?: Record<string, unknown>,
    options: CallToolOptions = NO_LOCAL_OPTIONS,
  ): Promise<CallToolResult<T>> {
    const params = { name, arguments: args };
    return this.#local.call<CallToolResult<T>>("tools/call", params, options);
  }

  /** The task with its status and stored progress `{ current, total, message, reportedAt }`. */
  async fetchTask(task: TaskRef, options: TaskOwnerOptions = NO_LOCAL_OPTIONS): Promise<TaskInfo> {
    return toTaskInfo(
      await this.#local.outcome<TaskRecord>("tasks/get", { taskId: taskIdOf(task) }, options),
    );
  }

  /**
   * Waits for the task to finish and resolves with the handler's value, or rejects with the
   * error it threw (a cancelled task rejects with `CancelledError`). For a task that ran in
   * another process sharing the store, the stored result stands in for the value.
   * @throws {FastestMcpError} `FMCP_ERR_TASK_AWAIT_TIMEOUT` after `timeoutMs`; the task keeps running.
   */
  awaitTask<T = unknown>(
    task: TaskRef,
    timeoutMs?: number,
    options: TaskOwnerOptions = NO_LOCAL_OPTIONS,
  ): Promise<T> {
    // Not async: one suspended frame less per awaited task (thousands may wait at once).
    return this.#local.taskResult(task, options, timeoutMs).then(awaitedValue) as Promise<T>;
  }

  /**
   * The task's `CallToolResult` once it is terminal (waiting until then), exactly what
   * `tasks/result` returns; rethrows the JSON-RPC error the call ended with.
   */
  async taskResult(
    task: TaskRef,
    options: TaskOwnerOptions & { timeoutMs?: number } = NO_LOCAL_OPTIONS,
  ): Promise<CallToolResult> {
    const { record, local } = await this.#local.taskResult(task, options, options.timeoutMs);
    return storedResult(record, local?.ok === false ? local.error : undefined);
  }

  /** One page of the owner's tasks, oldest first; pass `nextCursor` back for the next page. */
  async listTasks(
    options: TaskOwnerOptions & { cursor?: string; pageSize?: number } = NO_LOCAL_OPTIONS,
  ): Promise<{ tasks: TaskInfo[]; nextCursor?: string }> {
    const params = { cursor: options.cursor };
    const page = await this.#local.outcome<TaskPage>("tasks/list", params, options);
    const tasks = page.tasks.map(toTaskInfo);
    return page.nextCursor === undefined ? { tasks } : { tasks, nextCursor: page.nextCursor };
  }

  /**
   * Cancels an unfinished task: it is `cancelled` when this resolves and its `ctx.signal` aborts.
   * @throws {TaskTerminalError} (-32602) when the task already finished.
   */
  async cancelTask(task: TaskRef, options: TaskOwnerOptions = NO_LOCAL_OPTIONS): Promise<TaskInfo> {
    return toTaskInfo(
      await this.#local.outcome<TaskRecord>("tasks/cancel", { taskId: taskIdOf(task) }, options),
    );
  }

  /** Subscribes to task status and stored progress (with `{ logs: true }`, task log entries too); returns the unsubscribe function. */
  onTaskEvent(listener: TaskEventListener): () => void;
  onTaskEvent(listener: TaskActivityListener, options: { logs: boolean }): () => void;
  onTaskEvent(listener: TaskEventListener | TaskActivityListener, options?: { logs: boolean }): () => void {
    return this.#core.taskRuntime().on(listener as TaskActivityListener, options ?? { logs: false });
  }

  /**
   * Runs the backend's queued tasks in this process, transport or not (docs/queue.md); resolves
   * once it takes jobs. An instance whose queue `works` (the default) runs it anyway: this starts
   * it now, or answers it. @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` without a queue.
   */
  runWorker(options?: RunWorkerOptions): Promise<WorkerHandle> {
    return this.#worker.run(options);
  }

  /**
   * Ends every session and listen stream, closes the queue's worker (docs/queue.md), cancels
   * unfinished tasks, stops timers, closes the `backend`.
   */
  async close(): Promise<void> {
    await this.#worker.close();
    this.#core.subscriptions.close();
    await this.sessions.endAll();
    await this.#core.taskRuntime().close();
    await this.options.backend?.close();
  }
}
