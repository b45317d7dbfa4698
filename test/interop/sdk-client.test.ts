/**
 * Interop: the official MCP TypeScript SDK's client (`@modelcontextprotocol/sdk`, v1) against a
 * FastestMCP server over real Streamable HTTP on 127.0.0.1. Everything here goes through the SDK's
 * public client API, so a failure means a real SDK client would fail the same way.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CallToolResultSchema,
  type LoggingMessageNotification,
  LoggingMessageNotificationSchema,
  McpError,
  type Progress,
} from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { FastestMCP, type HttpServerHandle, type ListenOptions } from "../../src/fastestmcp.js";
import type { ServerOptions } from "../../src/server/server-options.js";
import { createDeferred, type Deferred } from "../../src/util/deferred.js";

const TASK_OPTIONS = { mode: "optional", pollInterval: 20 } as const;
const RELATED_TASK = "io.modelcontextprotocol/related-task";

/** Yields to the event loop, so each progress report is its own delivery. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Running {
  server: FastestMCP;
  handle: HttpServerHandle;
  clients: Client[];
}

const running: Running[] = [];

afterEach(async () => {
  for (const { server, handle, clients } of running.splice(0)) {
    // Clients first: their GET streams would otherwise try to reconnect to a closed server.
    await Promise.all(clients.map((client) => client.close()));
    await handle.close();
    await server.close();
  }
});

/** The server every test talks to. `gate` holds the `gated` task tool between its first and second step. */
function interopServer(gate: Deferred<void>, options: ServerOptions = {}): FastestMCP {
  return FastestMCP.server("interop", {
    version: "1.2.3",
    title: "Interop test server",
    instructions: "Tools for the SDK interop tests.",
    progressIntervalMs: 0,
    ...options,
  })
    .addTool("echo", ({ text }) => String(text), {
      description: "Echoes its text.",
      inputSchema: {
        type: "object",
        properties: { text: { type: "string", description: "What to echo." } },
        required: ["text"],
      },
    })
    .addTool("add", ({ a, b }) => ({ sum: a + b }), {
      description: "Adds two numbers.",
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      outputSchema: z.object({ sum: z.number() }),
    })
    .addTool("stats", () => ({ count: 3, mean: 2.5, labels: ["a", "b", "c"] }), {
      outputSchema: {
        type: "object",
        properties: {
          count: { type: "integer" },
          mean: { type: "number" },
          labels: { type: "array", items: { type: "string" } },
        },
        required: ["count", "mean", "labels"],
      },
    })
    .addTool(
      "steps",
      async ({ count }, ctx) => {
        for (let i = 1; i <= count; i++) {
          await tick();
          await ctx.reportProgress(i, count, `step ${i} of ${count}`);
        }
        return `did ${count} steps`;
      },
      { inputSchema: z.object({ count: z.number().int().min(1) }) },
    )
    .addTool("chatty", (_args, ctx) => {
      ctx.log.debug("debug line");
      ctx.log.info("info line", { rows: 10 });
      ctx.log.warning("warning line");
      return "logged";
    })
    .addTool("boom", () => {
      throw new Error("kaboom");
    })
    .addTool(
      "gated",
      async (_args, ctx) => {
        await ctx.reportProgress(1, 3, "started");
        await gate.promise;
        await tick();
        await ctx.reportProgress(2, 3, "halfway");
        await tick();
        await ctx.reportProgress(3, 3, "done");
        return { finished: true, steps: 3 };
      },
      {
        task: TASK_OPTIONS,
        outputSchema: {
          type: "object",
          properties: { finished: { type: "boolean" }, steps: { type: "number" } },
          required: ["finished", "steps"],
        },
      },
    )
    .addTool(
      "hang",
      (_args, ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
        }),
      { task: TASK_OPTIONS },
    );
}

interface Connected {
  server: FastestMCP;
  handle: HttpServerHandle;
  client: Client;
  transport: StreamableHTTPClientTransport;
  gate: Deferred<void>;
  /** Errors the SDK reported through `client.onerror` (transport hiccups, unknown progress tokens…). */
  errors: Error[];
}

async function connect(options: ServerOptions = {}, listen: ListenOptions = {}): Promise<Connected> {
  const gate = createDeferred<void>();
  const server = interopServer(gate, options);
  const handle = await server.listen({ keepAliveMs: 0, ...listen });
  const entry: Running = { server, handle, clients: [] };
  running.push(entry);
  const client = new Client({ name: "sdk-interop", version: "9.9.9" });
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  entry.clients.push(client);
  const transport = new StreamableHTTPClientTransport(new URL(handle.url));
  await client.connect(transport);
  return { server, handle, client, transport, gate, errors };
}

describe("SDK client: connection", () => {
  it("connects and sees our serverInfo, capabilities, instructions and protocol version", async () => {
    const { server, client, transport } = await connect();
    expect(client.getServerVersion()).toEqual({
      name: "interop",
      version: "1.2.3",
      title: "Interop test server",
    });
    expect(client.getServerCapabilities()).toEqual({
      tools: { listChanged: true },
      logging: {},
      tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
    });
    expect(client.getInstructions()).toBe("Tools for the SDK interop tests.");
    expect(transport.protocolVersion).toBe("2025-11-25");
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const session = server.sessions.get(transport.sessionId ?? "");
    expect(session?.clientInfo).toEqual({ name: "sdk-interop", version: "9.9.9" });
    expect(session?.revision?.version).toBe("2025-11-25");
    expect(session?.initialized).toBe(true);
  });

  it("refuses a foreign Origin with 403, which the SDK surfaces as a StreamableHTTPError", async () => {
    const { handle } = await connect();
    const client = new Client({ name: "sdk-interop-foreign", version: "1.0.0" });
    client.onerror = () => undefined;
    running.at(-1)?.clients.push(client);
    const transport = new StreamableHTTPClientTransport(new URL(handle.url), {
      requestInit: { headers: { origin: "http://evil.example" } },
    });
    const connecting = client.connect(transport);
    await expect(connecting).rejects.toBeInstanceOf(StreamableHTTPError);
    await expect(connecting).rejects.toMatchObject({ code: 403 });
  });

  it("answers the SDK's ping with an empty result", async () => {
    const { client } = await connect();
    await expect(client.ping()).resolves.toEqual({});
  });
});

describe("SDK client: tools", () => {
  it("lists JSON Schema and zod-derived input schemas, output schemas and task support", async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect([...byName.keys()]).toEqual(["echo", "add", "stats", "steps", "chatty", "boom", "gated", "hang"]);

    expect(byName.get("echo")).toEqual({
      name: "echo",
      description: "Echoes its text.",
      inputSchema: {
        type: "object",
        properties: { text: { type: "string", description: "What to echo." } },
        required: ["text"],
      },
    });
    expect(byName.get("add")).toMatchObject({
      description: "Adds two numbers.",
      inputSchema: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
        required: ["a", "b"],
      },
      outputSchema: { type: "object", properties: { sum: { type: "number" } }, required: ["sum"] },
    });
    expect(byName.get("add")?.inputSchema).not.toHaveProperty("$schema");
    expect(byName.get("stats")?.outputSchema).toMatchObject({ required: ["count", "mean", "labels"] });
    expect(byName.get("gated")?.execution).toEqual({ taskSupport: "optional" });
    expect(byName.get("hang")?.execution).toEqual({ taskSupport: "optional" });
    // Tools without task support omit `execution` (absent means "forbidden").
    expect(byName.get("echo")?.execution).toBeUndefined();
  });

  it("calls a text tool and gets its text content", async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: "echo", arguments: { text: "hello over HTTP" } });
    expect(result).toEqual({ content: [{ type: "text", text: "hello over HTTP" }] });
  });

  it("returns structured content that the SDK validates against the zod and JSON output schemas", async () => {
    const { client } = await connect();
    // listTools() makes the SDK compile each outputSchema; callTool then validates structuredContent.
    await client.listTools();
    const sum = await client.callTool({ name: "add", arguments: { a: 2, b: 40 } });
    expect(sum.structuredContent).toEqual({ sum: 42 });
    expect(sum.content).toEqual([{ type: "text", text: '{"sum":42}' }]);
    expect(sum.isError).toBeUndefined();

    const stats = await client.callTool({ name: "stats", arguments: {} });
    expect(stats.structuredContent).toEqual({ count: 3, mean: 2.5, labels: ["a", "b", "c"] });
  });

  it("answers invalid arguments with an isError result naming the field", async () => {
    const { client } = await connect();
    await client.listTools();
    const result = await client.callTool({ name: "add", arguments: { a: "two", b: 40 } });
    // An isError result needs no structuredContent, even for a tool with an outputSchema.
    expect(result).toEqual({
      content: [{ type: "text", text: expect.stringMatching(/^Invalid arguments for tool "add": a: /) }],
      isError: true,
    });
  });

  it("rejects an unknown tool with a JSON-RPC error -32602, not an isError result", async () => {
    const { client } = await connect();
    const call = client.callTool({ name: "no-such-tool", arguments: {} });
    await expect(call).rejects.toBeInstanceOf(McpError);
    await expect(call).rejects.toMatchObject({
      code: -32602,
      data: { reason: "tool-not-found", tool: "no-such-tool" },
    });
    // The session is unharmed: the next call works.
    await expect(client.callTool({ name: "echo", arguments: { text: "still here" } })).resolves.toEqual({
      content: [{ type: "text", text: "still here" }],
    });
  });

  it("turns a throwing handler into an isError result with its message", async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: "boom", arguments: {} });
    expect(result).toEqual({ content: [{ type: "text", text: "kaboom" }], isError: true });
  });
});

describe("SDK client: progress", () => {
  it("delivers every progress notification to onprogress, in order, with total and message", async () => {
    const { client, errors } = await connect();
    const received: Progress[] = [];
    const result = await client.callTool({ name: "steps", arguments: { count: 5 } }, undefined, {
      onprogress: (progress) => received.push(progress),
      timeout: 5000,
      resetTimeoutOnProgress: true,
    });
    expect(result.content).toEqual([{ type: "text", text: "did 5 steps" }]);
    // The notifications travel on the call's SSE stream ahead of the response.
    expect(received).toEqual(
      [1, 2, 3, 4, 5].map((i) => ({ progress: i, total: 5, message: `step ${i} of 5` })),
    );
    expect(errors).toEqual([]);
  });

  it("still delivers every progress notification when the server answers with JSON instead of SSE", async () => {
    // The progress then travels on the session's GET stream, which the SDK opened after initialize.
    const { client, errors } = await connect({}, { jsonResponse: true });
    await client.ping();
    const received: Progress[] = [];
    const result = await client.callTool({ name: "steps", arguments: { count: 4 } }, undefined, {
      onprogress: (progress) => received.push(progress),
    });
    expect(result.content).toEqual([{ type: "text", text: "did 4 steps" }]);
    expect(received.map((p) => p.progress)).toEqual([1, 2, 3, 4]);
    expect(received.at(-1)).toEqual({ progress: 4, total: 4, message: "step 4 of 4" });
    expect(errors).toEqual([]);
  });

  it("coalesces with the default interval, but the SDK still sees increasing values ending at the final one", async () => {
    const { client, errors } = await connect({ progressIntervalMs: undefined });
    const received: Progress[] = [];
    await client.callTool({ name: "steps", arguments: { count: 60 } }, undefined, {
      onprogress: (progress) => received.push(progress),
    });
    const values = received.map((p) => p.progress);
    expect(values.length).toBeGreaterThan(0);
    expect(values.length).toBeLessThan(60);
    expect(values.every((value, i) => i === 0 || value > (values[i - 1] as number))).toBe(true);
    expect(received.at(-1)).toEqual({ progress: 60, total: 60, message: "step 60 of 60" });
    expect(errors).toEqual([]);
  });
});

describe("SDK client: logging", () => {
  it("honours setLoggingLevel: at info, a tool logging debug, info and warning sends only info and warning", async () => {
    const { client } = await connect();
    const logs: LoggingMessageNotification["params"][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logs.push(notification.params);
    });
    await expect(client.setLoggingLevel("info")).resolves.toEqual({});
    const result = await client.callTool({ name: "chatty", arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: "logged" }]);
    await vi.waitFor(() => expect(logs.map((log) => log.level)).toEqual(["info", "warning"]));
    expect(logs).toEqual([
      { level: "info", logger: "interop", data: { message: "info line", rows: 10 } },
      { level: "warning", logger: "interop", data: "warning line" },
    ]);
  });
});

describe("SDK client: experimental tasks", () => {
  it("callToolStream yields taskCreated then the result, and onprogress keeps receiving progress after taskCreated", async () => {
    const { client, gate, errors } = await connect();
    await client.listTools(); // so the SDK validates the result against the tool's outputSchema
    const progress: Progress[] = [];
    let progressAtCreation = -1;
    const types: string[] = [];
    let taskId: string | undefined;
    let final: unknown;

    const stream = client.experimental.tasks.callToolStream(
      { name: "gated", arguments: {} },
      CallToolResultSchema,
      { task: { ttl: 60_000 }, onprogress: (p) => progress.push(p), timeout: 5000 },
    );
    for await (const message of stream) {
      types.push(message.type);
      if (message.type === "taskCreated") {
        taskId = message.task.taskId;
        expect(message.task).toMatchObject({ status: "working", ttl: 60_000, pollInterval: 20 });
        progressAtCreation = progress.length;
        // Only now may the tool make progress beyond its first step.
        gate.resolve();
      } else if (message.type === "result") {
        final = message.result;
      } else if (message.type === "error") {
        throw message.error;
      }
    }

    expect(types[0]).toBe("taskCreated");
    expect(types.at(-1)).toBe("result");
    expect(types.slice(1, -1).every((type) => type === "taskStatus")).toBe(true);
    expect(final).toMatchObject({
      structuredContent: { finished: true, steps: 3 },
      _meta: { [RELATED_TASK]: { taskId } },
    });
    // Progress rides the session's GET stream; it may land just after the tasks/get that saw "completed".
    await vi.waitFor(() => expect(progress).toHaveLength(3));
    expect(progress).toEqual([
      { progress: 1, total: 3, message: "started" },
      { progress: 2, total: 3, message: "halfway" },
      { progress: 3, total: 3, message: "done" },
    ]);
    expect(progressAtCreation).toBeLessThanOrEqual(1);
    expect(progress.length - progressAtCreation).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  it("gets, lists and cancels a long-running task; a second cancel is rejected with -32602", async () => {
    const { client } = await connect();
    await client.listTools();
    let taskId = "";
    for await (const message of client.experimental.tasks.callToolStream(
      { name: "hang", arguments: {} },
      CallToolResultSchema,
      { task: { ttl: 60_000 } },
    )) {
      if (message.type === "taskCreated") {
        taskId = message.task.taskId;
        break;
      }
    }
    expect(taskId).not.toBe("");

    const task = await client.experimental.tasks.getTask(taskId);
    expect(task).toMatchObject({ taskId, status: "working", ttl: 60_000, pollInterval: 20 });
    expect(typeof task.createdAt).toBe("string");

    const listed = await client.experimental.tasks.listTasks();
    expect(listed.tasks.map((t) => t.taskId)).toEqual([taskId]);
    expect(listed.tasks[0]?.status).toBe("working");

    const cancelled = await client.experimental.tasks.cancelTask(taskId);
    expect(cancelled).toMatchObject({ taskId, status: "cancelled" });
    await expect(client.experimental.tasks.getTask(taskId)).resolves.toMatchObject({ status: "cancelled" });

    const again = client.experimental.tasks.cancelTask(taskId);
    await expect(again).rejects.toBeInstanceOf(McpError);
    await expect(again).rejects.toMatchObject({ code: -32602, data: { reason: "task-terminal" } });
  });

  it("surfaces an error from tasks/result for a cancelled task", async () => {
    const { client } = await connect();
    await client.listTools();
    let taskId = "";
    for await (const message of client.experimental.tasks.callToolStream(
      { name: "hang", arguments: {} },
      CallToolResultSchema,
      { task: { ttl: 60_000 } },
    )) {
      if (message.type === "taskCreated") {
        taskId = message.task.taskId;
        break;
      }
    }
    // tasks/result blocks until the task is terminal: start waiting first, then cancel.
    const pending = client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema, { timeout: 5000 });
    pending.catch(() => undefined);
    await client.experimental.tasks.cancelTask(taskId);
    await expect(pending).rejects.toBeInstanceOf(McpError);
    await expect(pending).rejects.toMatchObject({ code: -32600, data: { reason: "task-cancelled", taskId } });
    // Asked again after the fact, it answers the same.
    await expect(client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema)).rejects.toMatchObject(
      { data: { reason: "task-cancelled", taskId } },
    );
  });

  it("callToolStream makes a listed task tool a task on its own, and ends with an error when it is cancelled", async () => {
    const { client } = await connect();
    // No `task` option: the SDK adds one because we declare tasks.requests.tools.call and the
    // tool lists execution.taskSupport "optional".
    await client.listTools();
    const types: string[] = [];
    let error: unknown;
    for await (const message of client.experimental.tasks.callToolStream({ name: "hang", arguments: {} })) {
      types.push(message.type);
      if (message.type === "taskCreated") await client.experimental.tasks.cancelTask(message.task.taskId);
      if (message.type === "error") error = message.error;
    }
    expect(types[0]).toBe("taskCreated");
    expect(types.at(-1)).toBe("error");
    expect(error).toBeInstanceOf(McpError);
    expect(String((error as Error).message)).toContain("cancelled");
  });
});

describe("SDK client: session end", () => {
  it("terminateSession ends the session; later requests fail (400 without an id, 404 with the old one)", async () => {
    const { server, handle, client, transport } = await connect();
    const sessionId = transport.sessionId;
    expect(sessionId).toBeDefined();
    expect(server.sessions.size).toBe(1);

    await transport.terminateSession();
    expect(transport.sessionId).toBeUndefined();
    expect(server.sessions.size).toBe(0);

    // The SDK forgets the id after DELETE, so its next POST carries none: 400.
    const next = client.listTools();
    await expect(next).rejects.toBeInstanceOf(StreamableHTTPError);
    await expect(next).rejects.toMatchObject({ code: 400 });

    // A client resuming with the ended id gets 404, the spec's "start a new session" signal.
    const stale = new Client({ name: "sdk-interop-stale", version: "1.0.0" });
    stale.onerror = () => undefined;
    running.at(-1)?.clients.push(stale);
    await stale.connect(new StreamableHTTPClientTransport(new URL(handle.url), { sessionId }));
    const ping = stale.ping();
    await expect(ping).rejects.toBeInstanceOf(StreamableHTTPError);
    await expect(ping).rejects.toMatchObject({ code: 404 });
  });
});
