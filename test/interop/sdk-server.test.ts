import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  InMemoryTaskMessageQueue,
  InMemoryTaskStore,
} from "@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { Client, type LogMessage, type ProgressEvent } from "../../src/client/index.js";

// Our client against a server built with the official SDK (code we did not write).

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The SDK's `ticks` tool reports this often; the tests' idle timeout is 5 ticks. */
const TICK_MS = 100;
/** Calls the SDK server saw cancelled (its `extra.signal` aborted), and who waits for the next one. */
const sdkAborts: string[] = [];
let onSdkAbort: (() => void) | undefined;

function sdkServer(taskStore: InMemoryTaskStore): McpServer {
  const server = new McpServer(
    { name: "sdk-server", version: "9.9.9" },
    {
      capabilities: { logging: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
      taskStore,
      taskMessageQueue: new InMemoryTaskMessageQueue(),
    },
  );
  server.registerTool(
    "echo",
    { description: "Echoes", inputSchema: { text: z.string() } },
    async ({ text }) => ({
      content: [{ type: "text", text }],
    }),
  );
  server.registerTool("count", { description: "Counts with progress and logs" }, async (extra) => {
    const token = extra._meta?.progressToken;
    for (let i = 1; i <= 3; i++) {
      await server.sendLoggingMessage({ level: "info", data: `step ${i}` }, extra.sessionId);
      if (token !== undefined) {
        await extra.sendNotification({
          method: "notifications/progress",
          params: { progressToken: token, progress: i, total: 3, message: `step ${i}` },
        });
      }
    }
    return { content: [{ type: "text", text: "counted" }] };
  });
  server.registerTool(
    "ticks",
    { description: "Reports progress every 100 ms", inputSchema: { steps: z.number() } },
    async ({ steps }, extra) => {
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= steps; i++) {
        await new Promise((resolve) => setTimeout(resolve, TICK_MS));
        if (extra.signal.aborted) {
          sdkAborts.push("ticks");
          onSdkAbort?.();
          throw new Error("aborted");
        }
        if (token !== undefined) {
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken: token, progress: i, total: steps },
          });
        }
      }
      return { content: [{ type: "text", text: "ticked" }] };
    },
  );
  server.experimental.tasks.registerToolTask(
    "slow-task",
    { description: "A task tool", execution: { taskSupport: "required" } },
    {
      async createTask(extra) {
        const task = await extra.taskStore.createTask({ ttl: 60_000, pollInterval: 20 });
        setTimeout(() => {
          void taskStore.storeTaskResult(task.taskId, "completed", {
            content: [{ type: "text", text: "task done" }],
          });
        }, 50);
        return { task };
      },
      async getTask(extra) {
        return await extra.taskStore.getTask(extra.taskId);
      },
      async getTaskResult(extra) {
        return (await extra.taskStore.getTaskResult(extra.taskId)) as never;
      },
    },
  );
  return server;
}

/** The SDK's documented stateful pattern: one transport per session, kept by session id. */
async function listenSdk(): Promise<string> {
  const taskStore = new InMemoryTaskStore();
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http: Server = createServer(async (req, res) => {
    const sessionId = req.headers["mcp-session-id"] as string | undefined;
    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (transport === undefined) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          transports.set(id, transport as StreamableHTTPServerTransport);
        },
      });
      await sdkServer(taskStore).connect(transport);
    }
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    for (const transport of transports.values()) await transport.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    taskStore.cleanup();
  });
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
}

describe("our Client against the official SDK server", () => {
  it("initializes, lists and calls tools", async () => {
    const client = await Client.connect(await listenSdk());
    cleanups.push(() => client.close());
    // "auto" (the default) probed with server/discover, got the SDK's 400, and fell back.
    expect(client.protocolVersion).toBe("2025-11-25");
    expect(client.sessionId).toEqual(expect.any(String));
    expect(client.serverInfo).toMatchObject({ name: "sdk-server", version: "9.9.9" });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["echo", "count", "ticks", "slow-task"]);
    expect(await client.callTool("echo", { text: "hello sdk" })).toMatchObject({
      content: [{ type: "text", text: "hello sdk" }],
    });
  });

  it("receives the SDK server's progress and log notifications", async () => {
    const progress: ProgressEvent[] = [];
    const logs: LogMessage[] = [];
    const client = await Client.connect(await listenSdk(), {
      progressHandler: (e) => progress.push(e),
      logHandler: (m) => logs.push(m),
    });
    cleanups.push(() => client.close());
    await client.setLogLevel("debug");
    const local: number[] = [];
    const result = await client.callTool("count", {}, { onProgress: (e) => local.push(e.progress) });
    expect(result.content).toEqual([{ type: "text", text: "counted" }]);
    expect(local).toEqual([1, 2, 3]);
    expect(progress.map((e) => e.message)).toEqual(["step 1", "step 2", "step 3"]);
    // sendLoggingMessage is not tied to the request: it travels on the session's GET stream.
    for (let i = 0; i < 200 && logs.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    expect(logs.map((m) => m.data)).toEqual(["step 1", "step 2", "step 3"]);
  });

  it("runs one of its experimental tasks and fetches the result", async () => {
    const client = await Client.connect(await listenSdk());
    cleanups.push(() => client.close());
    await client.listTools();
    const task = await client.callTool("slow-task", {}, { task: true });
    expect(task.created.status).toBe("working");
    expect(await task.wait()).toMatchObject({ content: [{ type: "text", text: "task done" }] });
    expect((await task.status()).status).toBe("completed");
    expect((await client.listTasks()).tasks.map((t) => t.taskId)).toContain(task.taskId);
  });

  it("keeps a call alive past its timeout while the SDK server reports progress, without a handler", async () => {
    const client = await Client.connect(await listenSdk());
    cleanups.push(() => client.close());
    // 8 ticks of TICK_MS against an idle timeout of 5 ticks: only progress keeps the call alive.
    const result = await client.callTool("ticks", { steps: 8 }, { timeout: 5 * TICK_MS });
    expect(result.content).toEqual([{ type: "text", text: "ticked" }]);
  });

  it("stops a call at maxTotalTimeout despite progress, and the SDK server sees it cancelled", async () => {
    const client = await Client.connect(await listenSdk());
    cleanups.push(() => client.close());
    const seen = new Promise<void>((resolve) => {
      onSdkAbort = resolve;
    });
    const call = client.callTool("ticks", { steps: 1000 }, { timeout: 60_000, maxTotalTimeout: 3 * TICK_MS });
    await expect(call).rejects.toMatchObject({
      code: -32001,
      reason: "request-total-timeout",
      data: { limit: "maxTotalTimeout" },
    });
    await seen;
    expect(sdkAborts).toContain("ticks");
  });

  it("surfaces the SDK server's errors as ProtocolErrors", async () => {
    const client = await Client.connect(await listenSdk());
    cleanups.push(() => client.close());
    await expect(client.request("nope/nope")).rejects.toMatchObject({ code: -32601 });
  });
});
