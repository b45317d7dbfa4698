import type { LogEntry } from "../context/logger.js";
import type { ProgressUpdate } from "../context/progress-sink.js";
import { DEFAULT_PROGRESS_INTERVAL_MS } from "../context/progress-tracker.js";
import { FastestMcpError } from "../errors.js";
import type { CallToolResult, LogLevel, ToolDefinition } from "../protocol/mcp-types.js";
import { ToolNotFoundError } from "../protocol/protocol-error.js";
import { JsonSchemaCompiler } from "../schema/json-schema.js";
import type { InferToolArgs, ToolHandler, ToolOptions, ToolSchema } from "./tool-options.js";
import { type RegisteredTool, ToolRegistry } from "./tool-registry.js";
import { settleToolResult } from "./tool-result.js";
import { runTool, type ToolOutcome } from "./tool-runner.js";

/** Options of `FastestMCP.server(name, options)`. */
export interface ServerOptions {
  /** The server's version, sent in `serverInfo`. Default `"0.0.0"`. */
  version?: string;
  /** A display name for people. */
  title?: string;
  /** Instructions for the model on how to use this server. */
  instructions?: string;
  /** Replace the text of unexpected handler errors with a generic message in tool results. */
  maskErrorDetails?: boolean;
  /**
   * Minimum milliseconds between two progress deliveries per request (default 50). Updates in
   * between are coalesced; the latest and the final state are always delivered. `0` delivers every update.
   */
  progressIntervalMs?: number;
}

/** Options of an in-process `callTool` / `callToolResult`. */
export interface CallToolOptions {
  /** Receives the request's progress (coalesced; the final state always arrives before the call settles). */
  onProgress?: (update: ProgressUpdate) => void;
  /** Receives the handler's `ctx.log` entries at or above `logLevel`. */
  onLog?: (entry: LogEntry) => void;
  /** Lowest level passed to `onLog` (default `"debug"`). */
  logLevel?: LogLevel;
  /** Cancels the call: `ctx.signal` aborts and the call rejects with a `CancelledError`. */
  signal?: AbortSignal;
  /** Milliseconds before the call fails with a `RequestTimeoutError` (the tool's own `timeout` still applies). */
  timeout?: number;
}

/**
 * A FastestMCP server: tools (and, as the framework grows, resources, prompts and tasks) plus the
 * in-process API that tests and embedders use. The same dispatch serves every transport.
 *
 * ```ts
 * const server = FastestMCP.server("progress", { version: "1.0.0" }).addTool("track", (args, ctx) => …);
 * await server.callTool("track", {}, { onProgress: console.log });
 * ```
 */
export class FastestMCP {
  /** Creates a server. Same as `new FastestMCP(name, options)`. */
  static server(name: string, options: ServerOptions = {}): FastestMCP {
    return new FastestMCP(name, options);
  }

  readonly name: string;
  readonly version: string;
  readonly options: Readonly<ServerOptions>;
  readonly #tools = new ToolRegistry(new JsonSchemaCompiler());
  readonly #progressIntervalMs: number;
  #nextRequestId = 0;

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
    this.name = name;
    this.version = options.version ?? "0.0.0";
    this.options = Object.freeze({ ...options });
    this.#progressIntervalMs = interval;
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
    this.#tools.add(name, handler as ToolHandler<never>, options);
    return this;
  }

  /** Unregisters a tool; returns whether it existed. */
  removeTool(name: string): boolean {
    return this.#tools.remove(name);
  }

  /** The tools as `tools/list` returns them. */
  listTools(): readonly ToolDefinition[] {
    return this.#tools.list();
  }

  /**
   * Calls a tool in-process and returns the handler's own value.
   * Rejects with `ToolNotFoundError` / `InvalidParamsError` (code -32602) for an unknown tool or
   * invalid arguments, with the handler's error if it throws, `RequestTimeoutError` (-32001) on
   * timeout and `CancelledError` when `signal` aborts.
   */
  async callTool<T = unknown>(
    name: string,
    args?: Record<string, unknown>,
    options: CallToolOptions = {},
  ): Promise<T> {
    const outcome = await this.#run(this.#resolve(name), args, options);
    if (outcome.ok) return outcome.value as T;
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
    return settleToolResult(
      tool.name,
      await this.#run(tool, args, options),
      this.options.maskErrorDetails === true,
    );
  }

  #resolve(name: string): RegisteredTool {
    const tool = this.#tools.get(name);
    if (tool === undefined) throw new ToolNotFoundError(name);
    return tool;
  }

  #run(tool: RegisteredTool, args: unknown, options: CallToolOptions): Promise<ToolOutcome> {
    const { onProgress, onLog } = options;
    return runTool({
      tool,
      args,
      requestId: `local-${++this.#nextRequestId}`,
      serverName: this.name,
      progressSink: onProgress ? { onProgress } : undefined,
      progressIntervalMs: this.#progressIntervalMs,
      logSink: onLog ? { onLog } : undefined,
      logLevel: options.logLevel,
      signal: options.signal,
      timeoutMs: options.timeout,
    });
  }
}
