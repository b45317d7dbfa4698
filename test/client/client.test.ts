import { createParser } from "eventsource-parser";
import { afterEach, describe, expect, it } from "vitest";
import { Client, type LogMessage, type ProgressEvent, type RemoteTaskState } from "../../src/client/index.js";
import { CancelledError, ToolError } from "../../src/errors.js";
import { FastestMCP, type HttpServerHandle } from "../../src/fastestmcp.js";
import { ProtocolError, RequestTimeoutError } from "../../src/protocol/protocol-error.js";
import { rejection } from "../rejection.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function demoServer() {
  return FastestMCP.server("client-test", { version: "3.1.0", progressIntervalMs: 0, instructions: "hi" })
    .addTool("echo", ({ text }) => String(text))
    .addTool("fail", () => {
      throw new ToolError("no such city", { city: "Atlantis" });
    })
    .addTool(
      "steps",
      async ({ count = 3, delayMs = 1 }, ctx) => {
        const progress = ctx.progress().setTotal(count as number);
        ctx.log.info("starting", { count });
        for (let i = 1; i <= (count as number); i++) {
          await new Promise((r) => setTimeout(r, delayMs as number));
          progress.increment().setMessage(`step ${i}`);
        }
        return { steps: count };
      },
      { task: { mode: "optional", pollInterval: 10 } },
    )
    .addTool(
      "hang",
      (_args, ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
      { task: true },
    );
}

async function serve(
  server = demoServer(),
  options = {},
): Promise<{ server: FastestMCP; handle: HttpServerHandle }> {
  const handle = await server.listen({ keepAliveMs: 0, retryMs: 30, ...options });
  cleanups.push(async () => {
    await handle.close();
    await server.close();
  });
  return { server, handle };
}

async function connect(url: string, options = {}): Promise<Client> {
  // The 2025-11-25 session; the default ("auto") picks 2026-07-28 here, covered in client-2026.test.ts.
  const client = await Client.connect(url, {
    protocolVersion: "2025-11-25",
    clientInfo: { name: "docs-client", version: "1.0.0" },
    ...options,
  });
  cleanups.push(() => client.close());
  return client;
}

describe("Client over Streamable HTTP", () => {
  it("connects, negotiates 2025-11-25 and reads the server's info", async () => {
    const { handle } = await serve();
    const client = await connect(handle.url);
    expect(client.protocolVersion).toBe("2025-11-25");
    expect(client.serverInfo).toEqual({ name: "client-test", version: "3.1.0" });
    expect(client.instructions).toBe("hi");
    expect(client.serverCapabilities).toHaveProperty("tasks");
    await client.ping();
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["echo", "fail", "steps", "hang"]);
  });

  it("calls tools, routes progress to onProgress and progressHandler, and logs to logHandler", async () => {
    const { handle } = await serve();
    const global: ProgressEvent[] = [];
    const logs: LogMessage[] = [];
    const client = await connect(handle.url, {
      progressHandler: (e: ProgressEvent) => global.push(e),
      logHandler: (m: LogMessage) => logs.push(m),
    });
    const local: ProgressEvent[] = [];
    const result = await client.callTool("steps", { count: 3 }, { onProgress: (e) => local.push(e) });
    expect(result.structuredContent).toEqual({ steps: 3 });
    expect(local.map((e) => [e.progress, e.total, e.message])).toEqual([
      [0, 3, undefined],
      [1, 3, "step 1"],
      [2, 3, "step 2"],
      [3, 3, "step 3"],
    ]);
    expect(global).toEqual(local);
    expect(logs).toEqual([{ level: "info", logger: "client-test", data: { message: "starting", count: 3 } }]);
    await client.setLogLevel("error");
    await client.callTool("steps", { count: 1 });
    expect(logs).toHaveLength(1);
  });

  it("keeps 100 concurrent calls' progress apart", async () => {
    const { handle } = await serve();
    const client = await connect(handle.url);
    const calls = Array.from({ length: 100 }, async (_, index) => {
      const seen: ProgressEvent[] = [];
      const count = (index % 5) + 1;
      const result = await client.callTool("steps", { count }, { onProgress: (e) => seen.push(e) });
      return { count, seen, result };
    });
    for (const { count, seen, result } of await Promise.all(calls)) {
      expect(result.structuredContent).toEqual({ steps: count });
      expect(seen.map((e) => e.progress)).toEqual(Array.from({ length: count + 1 }, (_, i) => i));
      expect(new Set(seen.map((e) => e.progressToken)).size).toBe(1);
    }
  });

  it("returns isError results, or throws a ToolError with throwOnError", async () => {
    const { handle } = await serve();
    const client = await connect(handle.url);
    expect(await client.callTool("fail")).toMatchObject({
      isError: true,
      content: [{ type: "text", text: "no such city" }],
    });
    const error = await rejection(client.callTool("fail", {}, { throwOnError: true }));
    expect(error).toBeInstanceOf(ToolError);
    expect(error.details).toEqual({ city: "Atlantis" });
  });

  it("surfaces server errors as ProtocolErrors with code and data", async () => {
    const { handle } = await serve();
    const client = await connect(handle.url);
    const error = await rejection(client.callTool("missing"));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: -32602, reason: "tool-not-found", data: { tool: "missing" } });
    expect(await rejection(client.request("nope/nope"))).toMatchObject({ code: -32601 });
  });

  it("times out a call, cancels it on the server and rejects with RequestTimeoutError", async () => {
    const { server, handle } = await serve();
    const client = await connect(handle.url);
    let aborted = false;
    server.addTool(
      "slow",
      (_args, ctx) =>
        new Promise((_, reject) =>
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            reject(ctx.signal.reason);
          }),
        ),
    );
    const error = await rejection(client.callTool("slow", {}, { timeout: 50 }));
    expect(error).toBeInstanceOf(RequestTimeoutError);
    for (let i = 0; i < 100 && !aborted; i++) await new Promise((r) => setTimeout(r, 5));
    expect(aborted).toBe(true);
  });

  it("cancels through an AbortSignal with a CancelledError", async () => {
    const { handle } = await serve();
    const client = await connect(handle.url);
    const controller = new AbortController();
    const call = client.callTool("hang", {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await rejection(call)).toBeInstanceOf(CancelledError);
  });

  it("resumes a dropped SSE stream with Last-Event-ID without losing or repeating events", async () => {
    const { handle } = await serve();
    let dropped = false;
    const droppingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const sse = (response.headers.get("content-type") ?? "").includes("text/event-stream");
      if (!sse || dropped || init?.method !== "POST" || !String(init.body).includes('"count":8'))
        return response;
      dropped = true;
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let seen = 0;
      const events = createParser({ onEvent: () => seen++ });
      const decoder = new TextDecoder();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          controller.enqueue(value);
          events.feed(decoder.decode(value, { stream: true }));
          if (seen >= 3) {
            await reader.cancel();
            controller.close();
          }
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const client = await connect(handle.url, { fetch: droppingFetch });
    const seen: number[] = [];
    const result = await client.callTool(
      "steps",
      { count: 8, delayMs: 10 },
      { onProgress: (e) => seen.push(e.progress) },
    );
    expect(dropped).toBe(true);
    expect(result.structuredContent).toEqual({ steps: 8 });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("runs a remote task whose progress keeps arriving after CreateTaskResult", async () => {
    const { handle } = await serve();
    const statuses: RemoteTaskState[] = [];
    const client = await connect(handle.url, { taskStatusHandler: (t: RemoteTaskState) => statuses.push(t) });
    const seen: ProgressEvent[] = [];
    const task = await client.callTool(
      "steps",
      { count: 4, delayMs: 5 },
      { task: true, onProgress: (e) => seen.push(e) },
    );
    expect(task.created.status).toBe("working");
    const result = await task.result();
    expect(result.structuredContent).toEqual({ steps: 4 });
    for (let i = 0; i < 100 && !statuses.some((s) => s.status === "completed"); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(seen.at(-1)).toMatchObject({ progress: 4, total: 4, message: "step 4", taskId: task.taskId });
    expect(statuses.map((s) => s.status)).toEqual(["working", "completed"]);
    expect((await task.status()).status).toBe("completed");
    expect((await client.listTasks()).tasks.map((t) => t.taskId)).toEqual([task.taskId]);
    expect(await (await client.callTool("steps", { count: 1 }, { task: true })).wait()).toMatchObject({
      structuredContent: { steps: 1 },
    });
  });

  it("cancels a remote task; its result then rejects", async () => {
    const { handle } = await serve();
    const client = await connect(handle.url);
    const task = await client.callTool("hang", {}, { task: { ttl: 60_000 } });
    expect(task.created.ttl).toBe(60_000);
    const cancelled = await task.cancel();
    expect(cancelled.status).toBe("cancelled");
    expect(await rejection(task.result())).toMatchObject({ reason: "task-cancelled" });
    expect(await rejection(task.cancel())).toMatchObject({ code: -32602 });
  });

  it("names its session (sessionId), the owner of its tasks on a server without auth", async () => {
    const { server, handle } = await serve();
    const client = await connect(handle.url);
    expect(client.sessionId).toEqual(expect.any(String));
    expect(server.sessions.get(client.sessionId as string)).toBeDefined();
    const task = await client.callTool("steps", { count: 1 }, { task: true });
    await task.result();
    const stored = await server.fetchTask(task.taskId, { owner: client.sessionId as string });
    expect(stored).toMatchObject({ status: "completed", progress: { current: 1, total: 1 } });
    // tasks/get carries the stored progress too (the vendor _meta key), as the task's `progress`.
    expect(await client.getTask(task.taskId)).toMatchObject({
      status: "completed",
      progress: { current: 1, total: 1, reportedAt: stored.progress?.reportedAt },
    });
  });

  it("ends the session with DELETE on close", async () => {
    const { server, handle } = await serve();
    const client = await Client.connect(handle.url, { protocolVersion: "2025-11-25" });
    expect(server.sessions.size).toBe(1);
    await client.close();
    expect(server.sessions.size).toBe(0);
    expect(await rejection(client.ping())).toBeInstanceOf(CancelledError);
  });
});

describe("Client over stdio", () => {
  it("drives an example server as a child process", async () => {
    const progress: ProgressEvent[] = [];
    const client = await Client.connect(
      { command: process.execPath, args: ["--import", "tsx", "examples/stdio-server.ts"], stderr: "ignore" },
      { progressHandler: (e) => progress.push(e) },
    );
    cleanups.push(() => client.close());
    expect(client.serverInfo?.name).toBe("stdio-demo");
    expect(client.sessionId).toBeUndefined(); // stdio has no sessions
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("echo");
    expect(await client.callTool("echo", { text: "over stdio" })).toMatchObject({
      content: [{ type: "text", text: expect.stringContaining("over stdio") }],
    });
    await client.close();
  }, 20_000);
});
