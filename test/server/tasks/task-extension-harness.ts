/**
 * A server with task-supporting tools and a 2026-07-28 client over the web-standard fetch front
 * (the real transport: headers, HTTP statuses and all), for the tasks extension's tests.
 */
import { afterEach, expect } from "vitest";
import { ToolError } from "../../../src/errors.js";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { InternalError } from "../../../src/protocol/protocol-error.js";
import type { ServerOptions } from "../../../src/server/server-options.js";
import { createDeferred, type Deferred } from "../../../src/util/deferred.js";

export const VERSION = "2026-07-28";
export const TASKS = "io.modelcontextprotocol/tasks";
export const PROGRESS_KEY = "dev.fastestmcp/progress";
export const WITH_TASKS = { extensions: { [TASKS]: {} } };

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever the answer holds.
export type Answer = { status: number; body: any };

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** What the tools of a test wait on, made fresh per server. */
export interface Gates {
  release: Deferred<void>;
  aborted: Deferred<unknown>;
}

export function tasksServer(options: ServerOptions = {}) {
  const gates: Gates = { release: createDeferred<void>(), aborted: createDeferred<unknown>() };
  const server = FastestMCP.server("tasks-ext", { version: "1.0.0", ...options })
    .addTool("greet", ({ name }) => `Hello, ${String(name)}!`)
    .addTool(
      "gated",
      async (_args, ctx) => {
        await ctx.reportProgress(2, 5, "two of five");
        await new Promise<void>((resolve, reject) => {
          void gates.release.promise.then(resolve);
          ctx.signal.addEventListener("abort", () => {
            gates.aborted.resolve(ctx.signal.reason);
            reject(ctx.signal.reason);
          });
        });
        return "released";
      },
      { task: true },
    )
    .addTool("instant", () => ({ answer: 42 }), { task: true })
    .addTool(
      "tool_error",
      () => {
        throw new ToolError("the tool could not do it");
      },
      { task: true },
    )
    .addTool(
      "protocol_error",
      () => {
        throw new InternalError("the server broke");
      },
      { task: true },
    )
    .addTool("only_task", () => "ran as a task", { task: { mode: "required" } });
  servers.push(server);
  return { server, gates };
}

/** POSTs one 2026-07-28 request with the standard headers; `headers` override (undefined drops one). */
export async function post(
  server: FastestMCP,
  method: string,
  params: Record<string, unknown> = {},
  options: {
    capabilities?: Record<string, unknown>;
    headers?: Record<string, string | undefined>;
    token?: string;
  } = {},
): Promise<Answer> {
  const name =
    method === "tools/call" ? params.name : method.startsWith("tasks/") ? params.taskId : undefined;
  const all: Record<string, string | undefined> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": VERSION,
    "mcp-method": method,
    ...(typeof name === "string" ? { "mcp-name": name } : {}),
    ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    ...options.headers,
  };
  const headers = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  const _meta = {
    "io.modelcontextprotocol/protocolVersion": VERSION,
    "io.modelcontextprotocol/clientCapabilities": options.capabilities ?? WITH_TASKS,
  };
  const response = await server.fetch(
    new Request("http://localhost/mcp", {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { ...params, _meta } }),
    }),
  );
  return { status: response.status, body: await response.json() };
}

export async function startTask(server: FastestMCP, name: string, token?: string): Promise<string> {
  const created = await post(server, "tools/call", { name, arguments: {} }, { token });
  expect(created.body.result.resultType).toBe("task");
  return created.body.result.taskId as string;
}

/** Waits (by task events, no sleeping) until the task is terminal, then answers its tasks/get. */
export async function terminalGet(server: FastestMCP, taskId: string): Promise<Answer> {
  const ended = createDeferred<void>();
  const stop = server.onTaskEvent((event) => {
    if (event.type === "status" && event.task.taskId === taskId && event.task.status !== "working")
      ended.resolve();
  });
  const first = await post(server, "tasks/get", { taskId });
  if (first.body.result?.status === "working") await ended.promise;
  stop();
  return post(server, "tasks/get", { taskId });
}
