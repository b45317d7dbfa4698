import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  Client,
  type ClientOptions,
  type ProgressEvent,
  type RemoteTaskState,
} from "../../src/client/index.js";
import { FastestMCP } from "../../src/fastestmcp.js";
import type { ServerOptions } from "../../src/server/server-options.js";
import { createDeferred, type Deferred } from "../../src/util/deferred.js";
import { rejection } from "../rejection.js";

// Our client on MCP 2026-07-28 against our own server over HTTP: the same calls as on
// 2025-11-25, stateless underneath (docs/client.md "Revisions").

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Gates the tools of one server wait on, made fresh per server. */
interface Gates {
  step: Deferred<void>[];
  aborted: Deferred<unknown>;
}

function modernServer(options: ServerOptions = {}) {
  const gates: Gates = { step: [createDeferred<void>(), createDeferred<void>()], aborted: createDeferred() };
  const server = FastestMCP.server("modern", {
    version: "2.0.0",
    instructions: "stateless",
    progressIntervalMs: 0,
    tasks: { progressFlushMs: 0 },
    ...options,
  })
    .addTool("echo", ({ text }) => String(text), { inputSchema: z.object({ text: z.string() }) })
    .addTool("count", async ({ to }, ctx) => {
      const progress = ctx.progress().setTotal(to as number);
      for (let n = 1; n <= (to as number); n++) progress.increment().setMessage(`counted ${n}`);
      ctx.log.info("counted", { to });
      return { counted: to };
    })
    .addTool(
      "staged",
      async (_args, ctx) => {
        await ctx.reportProgress(1, 3, "one");
        await gates.step[0]?.promise;
        await ctx.reportProgress(2, 3, "two");
        await gates.step[1]?.promise;
        return "staged done";
      },
      { task: { mode: "optional", pollInterval: 10 } },
    )
    .addTool(
      "hang",
      (_args, ctx) =>
        new Promise((_, reject) =>
          ctx.signal.addEventListener("abort", () => {
            gates.aborted.resolve(ctx.signal.reason);
            reject(ctx.signal.reason);
          }),
        ),
      { task: true },
    )
    .addTool("background", () => "only as a task", { task: { mode: "required" } })
    .addTool("ask", async (_args, ctx) => {
      const answer = await ctx.elicit<{ name: string }>("Name?", {
        type: "object",
        properties: { name: { type: "string" } },
      });
      return answer.action === "accept" ? `hi ${answer.content.name}` : answer.action;
    })
    .addResource("test://readme", () => "Read me first.", { name: "readme", mimeType: "text/plain" })
    .addPrompt("greet", ({ name }) => `Greet ${name}.`, {
      arguments: [{ name: "name", required: true }],
      complete: { name: ["Ada", "Alan"] },
    });
  return { server, gates };
}

async function serve(options: ServerOptions = {}) {
  const { server, gates } = modernServer(options);
  const handle = await server.listen({ keepAliveMs: 0 });
  cleanups.push(async () => {
    await handle.close();
    await server.close();
  });
  return { server, handle, gates };
}

async function connect(url: string, options: ClientOptions = {}): Promise<Client> {
  const client = await Client.connect(url, options);
  cleanups.push(() => client.close());
  return client;
}

/** Records the requests a client sends (method, headers, body) and passes them on. */
function recordingFetch() {
  const sent: Array<{ method: string; headers: Record<string, string>; body: Record<string, unknown> }> = [];
  const fetchFn: typeof fetch = (input, init) => {
    if (init?.method === "POST") {
      const headers = init.headers as Record<string, string>;
      sent.push({ method: "POST", headers, body: JSON.parse(String(init.body)) });
    } else sent.push({ method: init?.method ?? "GET", headers: {}, body: {} });
    return fetch(input, init);
  };
  return { sent, fetchFn };
}

describe("Client on 2026-07-28 over HTTP", () => {
  it("picks 2026-07-28 by default from server/discover: no session, no initialize", async () => {
    const { handle, server } = await serve();
    const { sent, fetchFn } = recordingFetch();
    const client = await connect(handle.url, {
      fetch: fetchFn,
      clientInfo: { name: "c26", version: "1.0.0" },
    });
    expect(client.protocolVersion).toBe("2026-07-28");
    expect(client.sessionId).toBeUndefined();
    expect(client.serverInfo).toEqual({ name: "modern", version: "2.0.0" });
    expect(client.instructions).toBe("stateless");
    expect(client.serverCapabilities).toMatchObject({
      tools: {},
      extensions: { "io.modelcontextprotocol/tasks": {} },
    });
    await client.ping(); // no ping on this revision: a server/discover round trip
    expect(sent.map((r) => r.body.method)).toEqual(["server/discover", "server/discover"]);
    expect(sent[0]?.headers).toMatchObject({
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "server/discover",
    });
    expect(sent[0]?.body.params).toMatchObject({
      _meta: {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": { name: "c26", version: "1.0.0" },
      },
    });
    expect(server.sessions.size).toBe(0);
    await client.close();
    expect(sent.every((r) => r.method === "POST")).toBe(true); // no GET stream, no DELETE
  });

  it("calls tools with progress and logs, names them in Mcp-Method/Mcp-Name, and returns the 2025 result shape", async () => {
    const { handle } = await serve();
    const { sent, fetchFn } = recordingFetch();
    const global: ProgressEvent[] = [];
    const logs: unknown[] = [];
    const client = await connect(handle.url, {
      fetch: fetchFn,
      progressHandler: (event) => global.push(event),
      logHandler: (message) => logs.push(message.data),
    });
    const own: ProgressEvent[] = [];
    const result = await client.callTool("count", { to: 2 }, { onProgress: (event) => own.push(event) });
    expect(result).toEqual({
      content: [{ type: "text", text: '{"counted":2}' }],
      structuredContent: { counted: 2 },
    });
    // Reports made in one tick may be coalesced; the last one always arrives, before the result.
    expect(own.at(-1)).toMatchObject({ progress: 2, total: 2, message: "counted 2" });
    expect(global).toEqual(own);
    expect(logs).toEqual([{ to: 2, message: "counted" }]);
    expect(await client.callTool("echo", { text: "hé" })).toEqual({
      content: [{ type: "text", text: "hé" }],
    });
    const call = sent.find((r) => r.body.method === "tools/call");
    expect(call?.headers).toMatchObject({ "mcp-method": "tools/call", "mcp-name": "count" });
    await client.readResource("test://readme");
    expect(sent.at(-1)?.headers["mcp-name"]).toBe("test://readme");
    await client.getPrompt("greet", { name: "Ada" });
    expect(sent.at(-1)?.headers["mcp-name"]).toBe("greet");
  });

  it("encodes an Mcp-Name that is not plain ASCII as =?base64?…?=, which the server accepts", async () => {
    const { server, handle } = await serve();
    server.addResource("test://grüße", () => "hallo", { name: "greeting", mimeType: "text/plain" });
    const { sent, fetchFn } = recordingFetch();
    const client = await connect(handle.url, { fetch: fetchFn });
    expect((await client.readResource("test://grüße")).contents).toMatchObject([{ text: "hallo" }]);
    expect(sent.at(-1)?.headers["mcp-name"]).toBe(
      `=?base64?${Buffer.from("test://grüße").toString("base64")}?=`,
    );
  });

  it("mirrors the arguments a listed tool marks with x-mcp-header in Mcp-Param-* headers", async () => {
    const { server, handle } = await serve();
    server.addTool("route", ({ region }) => String(region), {
      inputSchema: {
        type: "object",
        properties: {
          region: { type: "string", "x-mcp-header": "Region" },
          verbose: { type: ["boolean", "null"], "x-mcp-header": "Verbose" },
          limit: { type: "integer", "x-mcp-header": "Limit" },
          note: { type: "string" },
        },
      },
    });
    const { sent, fetchFn } = recordingFetch();
    const client = await connect(handle.url, { fetch: fetchFn });
    // Before tools/list the client does not know the annotations: the server refuses the call
    // (-32020, header missing), the client lists the tools and calls once more, with the header.
    const before = sent.length;
    expect(await client.callTool("route", { region: "eu-west1" })).toMatchObject({
      content: [{ type: "text", text: "eu-west1" }],
    });
    const paramHeaders = (headers: Record<string, string> | undefined) =>
      Object.keys(headers ?? {}).filter((h) => h.startsWith("mcp-param-"));
    const calls = sent.slice(before);
    expect(calls.map((request) => request.body.method)).toEqual(["tools/call", "tools/list", "tools/call"]);
    expect(paramHeaders(calls[0]?.headers)).toEqual([]);
    expect(calls[2]?.headers["mcp-param-region"]).toBe("eu-west1");
    await client.callTool("route", { region: " padded", verbose: null, limit: 3, note: "x" });
    const headers = sent.at(-1)?.headers ?? {};
    expect(
      Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith("mcp-param-"))),
    ).toEqual({
      "mcp-param-region": `=?base64?${Buffer.from(" padded").toString("base64")}?=`,
      "mcp-param-limit": "3",
    });
  });

  it("lists and reads resources, gets prompts and completes their arguments", async () => {
    const { handle } = await serve();
    const client = await connect(handle.url);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("staged");
    expect((await client.listResources()).resources).toMatchObject([
      { uri: "test://readme", name: "readme" },
    ]);
    // Cache hints stay (they say how long the answer may be reused); the wire framing does not.
    expect(await client.readResource("test://readme")).toEqual({
      contents: [{ uri: "test://readme", mimeType: "text/plain", text: "Read me first." }],
      ttlMs: 0,
      cacheScope: "private",
    });
    expect(await client.getPrompt("greet", { name: "Ada" })).toMatchObject({
      messages: [{ role: "user", content: { type: "text", text: "Greet Ada." } }],
    });
    const completion = await client.complete(
      { type: "ref/prompt", name: "greet" },
      { name: "name", value: "A" },
    );
    expect(completion.completion.values).toEqual(["Ada", "Alan"]);
  });

  it("runs a task of the tasks extension: polls tasks/get and hands its numeric progress to onProgress and progressHandler once per change", async () => {
    const { handle, gates } = await serve();
    const global: ProgressEvent[] = [];
    const statuses: RemoteTaskState[] = [];
    const client = await connect(handle.url, {
      progressHandler: (event) => global.push(event),
      taskStatusHandler: (task) => statuses.push(task),
    });
    const own: ProgressEvent[] = [];
    const reached = [createDeferred<void>(), createDeferred<void>()];
    const task = await client.callTool(
      "staged",
      {},
      {
        task: true,
        onProgress: (event) => {
          own.push(event);
          reached[event.progress - 1]?.resolve();
        },
      },
    );
    expect(task.created).toMatchObject({
      status: "working",
      ttl: expect.any(Number),
      pollInterval: expect.any(Number),
    });
    const result = task.wait({ pollInterval: 5 });
    await reached[0]?.promise;
    gates.step[0]?.resolve();
    await reached[1]?.promise;
    gates.step[1]?.resolve();
    expect(await result).toEqual({ content: [{ type: "text", text: "staged done" }] });
    expect(own.map((e) => [e.progress, e.total, e.message, e.taskId])).toEqual([
      [1, 3, "one", task.taskId],
      [2, 3, "two", task.taskId],
    ]);
    expect(global).toEqual(own);
    expect(statuses.map((s) => s.status)).toEqual(["working", "completed"]);
    expect((await task.status()).status).toBe("completed");
  });

  it("keeps a task's progress and status coming without a wait: the client polls in the background", async () => {
    const { handle, gates } = await serve();
    const statuses: string[] = [];
    const completed = createDeferred<void>();
    const client = await connect(handle.url, {
      taskStatusHandler: (task) => {
        statuses.push(task.status);
        if (task.status === "completed") completed.resolve();
      },
    });
    const reached = [createDeferred<void>(), createDeferred<void>()];
    const progress: number[] = [];
    const task = await client.callTool(
      "staged",
      {},
      {
        task: true,
        onProgress: (event) => {
          progress.push(event.progress);
          reached[event.progress - 1]?.resolve();
        },
      },
    );
    await reached[0]?.promise;
    gates.step[0]?.resolve();
    await reached[1]?.promise;
    gates.step[1]?.resolve();
    await completed.promise;
    expect(progress).toEqual([1, 2]);
    expect(statuses).toEqual(["working", "completed"]);
    expect(await task.result()).toEqual({ content: [{ type: "text", text: "staged done" }] });
  });

  it("cancels a task with tasks/cancel; its result then rejects with task-cancelled", async () => {
    const { handle, gates } = await serve();
    const client = await connect(handle.url);
    const task = await client.callTool("hang", {}, { task: true });
    const cancelled = await task.cancel();
    expect(cancelled).toMatchObject({ taskId: task.taskId, status: "cancelled" });
    await gates.aborted.promise;
    expect(await rejection(task.result())).toMatchObject({ reason: "task-cancelled" });
  });

  it("cancels a call by closing its HTTP request: the handler's signal aborts", async () => {
    const { handle, gates } = await serve();
    const client = await connect(handle.url);
    const controller = new AbortController();
    const call = client.callTool("hang", {}, { signal: controller.signal, onProgress: () => undefined });
    // No progress to wait for: the abort reaches the server however early it comes.
    controller.abort();
    expect(await rejection(call)).toMatchObject({ name: "CancelledError" });
    // The request may not have reached the handler; if it did, its signal aborted.
    const late = client.callTool("hang", {}, { timeout: 50 });
    expect(await rejection(late)).toMatchObject({ reason: "request-timeout" });
    expect(await gates.aborted.promise).toBeDefined();
  });

  it("surfaces the server's refusals: -32021 for a task-only tool called plainly, -32602 for an unknown resource", async () => {
    const { handle } = await serve();
    const client = await connect(handle.url);
    const missing = await rejection(client.callTool("background", {}));
    expect(missing).toMatchObject({
      code: -32021,
      reason: "missing-client-capability",
      data: { status: 400, requiredCapabilities: { extensions: { "io.modelcontextprotocol/tasks": {} } } },
    });
    // The same tool as a task: the request declares the extension.
    const task = await client.callTool("background", {}, { task: true });
    expect(await task.result()).toEqual({ content: [{ type: "text", text: "only as a task" }] });
    expect(await rejection(client.readResource("test://nowhere"))).toMatchObject({ code: -32602 });
    // elicit without the capability is -32021 too (the client declared no elicitationHandler).
    expect(await rejection(client.callTool("ask", {}))).toMatchObject({ code: -32021 });
  });

  it("setLogLevel names the level in every later request, as there is no logging/setLevel", async () => {
    const { handle } = await serve();
    const logs: unknown[] = [];
    const client = await connect(handle.url, { logHandler: (message) => logs.push(message.level) });
    await client.setLogLevel("error");
    await client.callTool("count", { to: 1 });
    expect(logs).toEqual([]);
    await client.setLogLevel("info");
    await client.callTool("count", { to: 1 });
    expect(logs).toEqual(["info"]);
  });
});

describe("Choosing the revision", () => {
  it("pinned to 2025-11-25 it never probes and opens a session", async () => {
    const { handle, server } = await serve();
    const { sent, fetchFn } = recordingFetch();
    const client = await connect(handle.url, { protocolVersion: "2025-11-25", fetch: fetchFn });
    expect(client.protocolVersion).toBe("2025-11-25");
    expect(client.sessionId).toEqual(expect.any(String));
    expect(sent[0]?.body.method).toBe("initialize");
    expect(server.sessions.size).toBe(1);
  });

  it("auto falls back to initialize against a server that serves only the 2025 revisions", async () => {
    const { handle } = await serve({ protocolVersions: ["2025-11-25", "2025-06-18"] });
    const { sent, fetchFn } = recordingFetch();
    const client = await connect(handle.url, { fetch: fetchFn });
    expect(client.protocolVersion).toBe("2025-11-25");
    expect(client.sessionId).toEqual(expect.any(String));
    expect(sent.map((r) => r.body.method).slice(0, 2)).toEqual(["server/discover", "initialize"]);
    expect(await client.callTool("echo", { text: "legacy" })).toEqual({
      content: [{ type: "text", text: "legacy" }],
    });
  });

  it("pinned to 2026-07-28 it fails clearly against a server that does not offer it", async () => {
    const { handle } = await serve({ protocolVersions: ["2025-11-25"] });
    const error = await rejection(Client.connect(handle.url, { protocolVersion: "2026-07-28" }));
    expect(error).toMatchObject({
      reason: "unsupported-protocol-version",
      data: { requested: "2026-07-28" },
    });
    expect((error as Error).message).toContain("pinned");
    expect((error as Error).cause).toMatchObject({ code: -32022 });
  });

  it("pinned to 2026-07-28 it connects to a server that serves only that revision", async () => {
    const { handle } = await serve({ protocolVersions: ["2026-07-28"] });
    const client = await connect(handle.url, { protocolVersion: "2026-07-28" });
    expect(client.protocolVersion).toBe("2026-07-28");
    expect(await client.callTool("echo", { text: "x" })).toEqual({ content: [{ type: "text", text: "x" }] });
  });

  it("does not fall back when the probe cannot reach the server", async () => {
    const error = await rejection(Client.connect("http://127.0.0.1:9/mcp", { maxReconnects: 0 }));
    expect(error).toMatchObject({ reason: "connection-failed" });
  });
});
