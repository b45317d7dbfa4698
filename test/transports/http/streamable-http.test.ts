import { afterEach, describe, expect, it, vi } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { createDeferred } from "../../../src/util/deferred.js";
import { HttpHarness } from "./http-harness.js";
import { SseReader } from "./sse-reader.js";

const harnesses: HttpHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

function demoServer() {
  return FastestMCP.server("http-test", { version: "1.0.0", progressIntervalMs: 0 })
    .addTool("echo", ({ text }) => String(text))
    .addTool(
      "steps",
      async ({ count = 3, delayMs = 2 }, ctx) => {
        const progress = ctx.progress().setTotal(count as number);
        for (let i = 1; i <= (count as number); i++) {
          await new Promise((r) => setTimeout(r, delayMs as number));
          progress.increment().setMessage(`step ${i}`);
        }
        ctx.log.info("all steps done");
        return { steps: count };
      },
      { task: true },
    )
    .addTool(
      "hang",
      (_args, ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason));
        }),
      { task: true },
    );
}

async function start(options = {}) {
  const harness = await HttpHarness.start(demoServer(), options);
  harnesses.push(harness);
  return harness;
}

describe("Streamable HTTP lifecycle", () => {
  it("initializes with a JSON answer and a random session id", async () => {
    const a = await start();
    const body = await a.initialize();
    expect(body).toMatchObject({ jsonrpc: "2.0", result: { protocolVersion: "2025-11-25" } });
    expect(a.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const b = await start();
    await b.initialize();
    expect(b.sessionId).not.toBe(a.sessionId);
  });

  it("answers 400 without a session id, 404 for an unknown one, 400 for an unsupported protocol version", async () => {
    const h = await start();
    const missing = await h.post(h.request("tools/list"));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: { code: -32600, data: { reason: "session-required" } },
    });
    h.sessionId = "not-a-session";
    expect((await h.post(h.request("tools/list"))).status).toBe(404);
    h.sessionId = undefined;
    await h.initialize();
    const wrongVersion = await h.post(h.request("tools/list"), { "mcp-protocol-version": "1999-01-01" });
    expect(wrongVersion.status).toBe(400);
    expect(await wrongVersion.json()).toMatchObject({
      error: { data: { reason: "unsupported-protocol-version" } },
    });
  });

  it("accepts an older negotiated version in the header, and refuses one that is not the session's", async () => {
    const h = await start();
    h.protocolVersion = "2025-03-26";
    await h.initialize();
    const response = await h.post(h.request("tools/list"));
    expect(response.status).toBe(200);
    const other = await h.post(h.request("tools/list"), { "mcp-protocol-version": "2025-11-25" });
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({
      error: { code: -32600, data: { reason: "protocol-version-mismatch", negotiated: "2025-03-26" } },
    });
  });

  it("ends a session with DELETE; later requests get 404", async () => {
    const h = await start();
    await h.initialize();
    const deleted = await fetch(h.url, { method: "DELETE", headers: h.headers() });
    expect(deleted.status).toBe(204);
    expect((await h.post(h.request("tools/list"))).status).toBe(404);
    expect(h.server.sessions.size).toBe(0);
  });
});

describe("Streamable HTTP requests", () => {
  it("streams a call as SSE: priming event, progress and logs with ids, then the response", async () => {
    const h = await start();
    await h.initialize();
    const response = await h.post(
      h.request("tools/call", { name: "steps", arguments: { count: 3 }, _meta: { progressToken: "p1" } }, 5),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const sse = new SseReader(response);
    const events = await sse.all();
    expect(events[0]).toMatchObject({ data: "", retry: 1000 });
    expect(events.every((e) => typeof e.id === "string" && e.id.length > 0)).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const messages = sse.messages();
    const progress = messages.filter((m) => m.method === "notifications/progress").map((m) => m.params);
    expect(progress).toEqual([
      { progressToken: "p1", progress: 0, total: 3 },
      { progressToken: "p1", progress: 1, total: 3, message: "step 1" },
      { progressToken: "p1", progress: 2, total: 3, message: "step 2" },
      { progressToken: "p1", progress: 3, total: 3, message: "step 3" },
    ]);
    expect(messages.filter((m) => m.method === "notifications/message")).toHaveLength(1);
    expect(messages.at(-1)).toMatchObject({ id: 5, result: { structuredContent: { steps: 3 } } });
  });

  it("answers an immediate call with JSON, a slow one with SSE, and always SSE when immediateJson is off", async () => {
    const h = await start();
    await h.initialize();
    const quick = await h.post(h.request("tools/call", { name: "echo", arguments: { text: "now" } }));
    expect(quick.headers.get("content-type")).toContain("application/json");
    expect(await quick.json()).toMatchObject({ result: { content: [{ type: "text", text: "now" }] } });
    const slow = await h.post(h.request("tools/call", { name: "hang" }, "slow"));
    expect(slow.headers.get("content-type")).toContain("text/event-stream");
    const primed = new SseReader(slow);
    await primed.until((events) => events.length >= 1);
    expect(primed.events[0]).toMatchObject({ data: "", retry: 1000 });
    await h.post({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "slow" } });
    await primed.all();
    const always = await start({ immediateJson: false });
    await always.initialize();
    const streamed = await always.post(
      always.request("tools/call", { name: "echo", arguments: { text: "sse" } }),
    );
    expect(streamed.headers.get("content-type")).toContain("text/event-stream");
    const sse = new SseReader(streamed);
    await sse.all();
    expect(sse.events[0]).toMatchObject({ data: "", retry: 1000 });
    expect(sse.messages().at(-1)).toMatchObject({ result: { content: [{ type: "text", text: "sse" }] } });
  });

  it("answers with JSON when the client accepts only JSON, and moves progress to the GET stream", async () => {
    const h = await start();
    await h.initialize();
    const get = new SseReader(await h.openGet());
    const response = await h.post(
      h.request("tools/call", { name: "steps", arguments: { count: 2 }, _meta: { progressToken: 7 } }),
      { accept: "application/json" },
    );
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toMatchObject({ result: { structuredContent: { steps: 2 } } });
    await get.until((events) => events.some((e) => e.data.includes('"progress":2')));
    const onGet = get.messages();
    expect(
      onGet
        .filter((m) => m.method === "notifications/progress")
        .map((m) => (m.params as { progress: number }).progress),
    ).toEqual([0, 1, 2]);
    expect(onGet.filter((m) => m.method === "notifications/message")).toHaveLength(1);
    await get.cancel();
  });

  it("answers notifications with 202 and no body", async () => {
    const h = await start();
    await h.initialize();
    const response = await h.post({ jsonrpc: "2.0", method: "notifications/roots/list_changed" });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
  });

  it("aborts a call on notifications/cancelled and sends no response", async () => {
    const h = await start();
    await h.initialize();
    const response = await h.post(h.request("tools/call", { name: "hang" }, "c1"));
    const sse = new SseReader(response);
    await sse.until((events) => events.length >= 1);
    const cancel = await h.post({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: "c1" },
    });
    expect(cancel.status).toBe(202);
    await sse.all();
    expect(sse.messages()).toEqual([]);
  });
});

describe("Streamable HTTP tasks and the standalone stream", () => {
  it("delivers task progress and status on the GET stream after CreateTaskResult", async () => {
    const h = await start();
    await h.initialize();
    const get = new SseReader(await h.openGet());
    const created = await h.post(
      h.request("tools/call", {
        name: "steps",
        arguments: { count: 3, delayMs: 5 },
        task: {},
        _meta: { progressToken: "t" },
      }),
      { accept: "application/json" },
    );
    const { result } = (await created.json()) as { result: { task: { taskId: string; status: string } } };
    expect(result.task.status).toBe("working");
    await get.until((events) => events.some((e) => e.data.includes('"completed"')));
    const messages = get.messages();
    const progress = messages.filter((m) => m.method === "notifications/progress").map((m) => m.params);
    expect(progress.at(-1)).toEqual({ progressToken: "t", progress: 3, total: 3, message: "step 3" });
    const statuses = messages.filter((m) => m.method === "notifications/tasks/status");
    expect(statuses.map((m) => (m.params as { status: string }).status)).toEqual(["working", "completed"]);
    const final = await h.post(h.request("tasks/result", { taskId: result.task.taskId }), {
      accept: "application/json",
    });
    expect(await final.json()).toMatchObject({
      result: {
        structuredContent: { steps: 3 },
        _meta: { "io.modelcontextprotocol/related-task": { taskId: result.task.taskId } },
      },
    });
    await get.cancel();
  });

  it("buffers standalone messages until a GET stream opens", async () => {
    const h = await start();
    await h.initialize();
    const created = await h.post(
      h.request("tools/call", { name: "steps", arguments: { count: 1 }, task: {} }),
      {
        accept: "application/json",
      },
    );
    expect(created.status).toBe(200);
    // tasks/result answers once the task is terminal: its status notifications were all sent
    // while no GET stream was open, so the stream below can only have them from the buffer.
    const { result } = (await created.json()) as { result: { task: { taskId: string } } };
    const done = await h.post(h.request("tasks/result", { taskId: result.task.taskId }), {
      accept: "application/json",
    });
    expect(done.status).toBe(200);
    const get = new SseReader(await h.openGet());
    await get.until((events) => events.some((e) => e.data.includes('"completed"')));
    await get.cancel();
  });

  it("refuses a second concurrent GET stream with 409", async () => {
    const h = await start();
    await h.initialize();
    const first = await h.openGet();
    const second = await h.openGet();
    expect(second.status).toBe(409);
    await first.body?.cancel();
  });

  it("resumes a dropped POST stream with Last-Event-ID: missed events in order, nothing twice", async () => {
    const h = await start();
    await h.initialize();
    const controller = new AbortController();
    const response = await h.post(
      h.request(
        "tools/call",
        { name: "steps", arguments: { count: 6, delayMs: 15 }, _meta: { progressToken: "r" } },
        42,
      ),
      {},
      { signal: controller.signal },
    );
    const first = new SseReader(response);
    await first.until((events) => events.filter((e) => e.data !== "").length >= 2);
    const seen = first.events.slice();
    controller.abort();
    const lastId = seen.at(-1)?.id as string;
    // Resume only once the call is over, so everything after lastId was missed and must be replayed.
    const session = h.server.sessions.get(h.sessionId as string);
    await vi.waitFor(() => expect(session?.inflight.has(42)).toBe(false), { timeout: 3000, interval: 5 });
    const resumed = new SseReader(await h.openGet({ "last-event-id": lastId }));
    await resumed.until((events) => events.some((e) => e.data.includes('"id":42')));
    const replayed = resumed.messages();
    const progressBefore = seen.filter((e) => e.data !== "").map((e) => JSON.parse(e.data).params.progress);
    const progressAfter = replayed
      .filter((m) => m.method === "notifications/progress")
      .map((m) => (m.params as { progress: number }).progress);
    expect([...progressBefore, ...progressAfter]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(replayed.at(-1)).toMatchObject({ id: 42, result: { structuredContent: { steps: 6 } } });
    await resumed.cancel();
  });

  it("answers 404 for a Last-Event-ID whose stream is not kept", async () => {
    const h = await start();
    await h.initialize();
    expect((await h.openGet({ "last-event-id": "999.1" })).status).toBe(404);
  });

  it("cancels a session's tasks when the session is deleted", async () => {
    const h = await start();
    await h.initialize();
    const cancelled = createDeferred<void>();
    h.server.onTaskEvent((event) => {
      if (event.task.status === "cancelled") cancelled.resolve();
    });
    await h.post(h.request("tools/call", { name: "hang", task: {} }), { accept: "application/json" });
    await fetch(h.url, { method: "DELETE", headers: h.headers() });
    await cancelled.promise;
  });
});

describe("Streamable HTTP idle sessions", () => {
  it("ends sessions idle past sessionIdleTimeoutMs, but not one with an open stream or a running task", async () => {
    const h = await start({ sessionIdleTimeoutMs: 60_000 });
    await h.initialize();
    const idle = h.sessionId;
    h.sessionId = undefined;
    await h.initialize();
    const streaming = h.sessionId;
    const get = new SseReader(await h.openGet());
    h.sessionId = undefined;
    await h.initialize();
    const working = h.sessionId;
    await h.post(h.request("tools/call", { name: "hang", task: {} }), { accept: "application/json" });

    expect(await h.handle.transport.endIdleSessions(Date.now() + 30_000)).toBe(0);
    expect(await h.handle.transport.endIdleSessions(Date.now() + 61_000)).toBe(1);
    h.sessionId = idle;
    expect((await h.post(h.request("ping"), { accept: "application/json" })).status).toBe(404);
    for (const alive of [streaming, working]) {
      h.sessionId = alive;
      expect((await h.post(h.request("ping"), { accept: "application/json" })).status).toBe(200);
    }
    await get.cancel();
  });
});

describe("Streamable HTTP shutdown", () => {
  it("close() ends open streams, cancels requests in flight and tasks, and frees the sessions", async () => {
    const h = await HttpHarness.start(demoServer());
    await h.initialize();
    const get = new SseReader(await h.openGet());
    const call = new SseReader(await h.post(h.request("tools/call", { name: "hang" }, "inflight")));
    await call.until((events) => events.length >= 1);
    const created = await h.post(h.request("tools/call", { name: "hang", task: {} }), {
      accept: "application/json",
    });
    const { result } = (await created.json()) as { result: { task: { taskId: string } } };
    const statuses: string[] = [];
    h.server.onTaskEvent((event) => {
      if (event.task.taskId === result.task.taskId) statuses.push(event.task.status);
    });
    await h.handle.close();
    await call.all();
    await get.all();
    expect(call.done && get.done).toBe(true);
    expect(call.messages()).toEqual([]);
    expect(h.server.sessions.size).toBe(0);
    expect(statuses).toEqual(["cancelled"]);
    await h.server.close();
  });
});

describe("Streamable HTTP bad input", () => {
  it("rejects malformed JSON with 400 and -32700", async () => {
    const h = await start();
    await h.initialize();
    const response = await h.post("{not json");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ id: null, error: { code: -32700 } });
  });

  it("rejects batches and invalid messages with -32600", async () => {
    const h = await start();
    await h.initialize();
    const batch = await h.post([h.request("ping")]);
    expect(batch.status).toBe(400);
    expect(await batch.json()).toMatchObject({
      error: { code: -32600, data: { reason: "batch-not-supported" } },
    });
    const invalid = await h.post({ jsonrpc: "1.0", id: 3, method: "ping" });
    expect(await invalid.json()).toMatchObject({ id: 3, error: { code: -32600 } });
  });

  it("answers unknown methods with -32601 and keeps serving", async () => {
    const h = await start();
    await h.initialize();
    const response = await h.post(h.request("nope/nope"), { accept: "application/json" });
    expect(await response.json()).toMatchObject({ error: { code: -32601 } });
    const ok = await h.post(h.request("ping"), { accept: "application/json" });
    expect(await ok.json()).toMatchObject({ result: {} });
  });

  it("rejects bodies over the limit with 413", async () => {
    const h = await start({ maxBodyBytes: 1024 });
    await h.initialize();
    const response = await h.post(
      h.request("tools/call", { name: "echo", arguments: { text: "x".repeat(5000) } }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: { code: -32600, data: { reason: "body-too-large" } },
    });
  });

  it("answers 415 for a non-JSON content type, 405 for other methods, 404 for other paths", async () => {
    const h = await start();
    await h.initialize();
    expect((await h.post(h.request("ping"), { "content-type": "text/plain" })).status).toBe(415);
    expect((await fetch(h.url, { method: "PUT", headers: h.headers() })).status).toBe(405);
    expect(
      (await fetch(h.url.replace("/mcp", "/other"), { method: "POST", headers: h.headers(), body: "{}" }))
        .status,
    ).toBe(404);
  });

  it("rejects a foreign Origin or Host with 403 on loopback (DNS rebinding)", async () => {
    const h = await start();
    const port = h.handle.port;
    const initialize = h.request("initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "x", version: "1" },
    });
    const foreignOrigin = await h.post(initialize, { origin: "http://evil.example.com" });
    expect(foreignOrigin.status).toBe(403);
    const own = await h.post(initialize, { origin: `http://127.0.0.1:${port}` });
    expect(own.status).toBe(200);
  });
});

describe("fetch handler", () => {
  it("serves initialize and a tool call as web-standard Request/Response", async () => {
    const server = demoServer();
    const init = await server.fetch(
      new Request("http://localhost/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-11-25",
            capabilities: {},
            clientInfo: { name: "f", version: "1" },
          },
        }),
      }),
    );
    const sessionId = init.headers.get("mcp-session-id") as string;
    expect(init.status).toBe(200);
    const call = await server.fetch(
      new Request("http://localhost/mcp", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-session-id": sessionId,
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 2,
          method: "tools/call",
          params: { name: "echo", arguments: { text: "hey" } },
        }),
      }),
    );
    // Answered at once and nothing streamed: plain JSON (see the immediateJson option).
    expect(call.headers.get("content-type")).toContain("application/json");
    expect(await call.json()).toMatchObject({ id: 2, result: { content: [{ type: "text", text: "hey" }] } });
    const foreign = await server.fetch(
      new Request("http://localhost/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://evil.example.com" },
        body: "{}",
      }),
    );
    expect(foreign.status).toBe(403);
    await server.close();
  });
});
