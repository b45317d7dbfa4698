import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { createDeferred } from "../../../src/util/deferred.js";
import { HttpHarness } from "./http-harness.js";

const VERSION = "2026-07-28";
const META = {
  "io.modelcontextprotocol/protocolVersion": VERSION,
  "io.modelcontextprotocol/clientCapabilities": {},
};

const harnesses: HttpHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

/** Set by the `hang` tool when its signal aborts. */
let hangAborted = createDeferred<unknown>();
let hangStarted = createDeferred<void>();
/** Set by the `wait` tool when it starts and when its signal aborts. */
let waitStarted = createDeferred<void>();
let waitAborted = createDeferred<unknown>();

function statelessServer() {
  return FastestMCP.server("stateless-test", { version: "2.0.0", progressIntervalMs: 0 })
    .addTool("echo", ({ text }) => String(text))
    .addTool("whoami", (_args, ctx) => ({ sessionId: ctx.sessionId ?? null }))
    .addTool("steps", async (_args, ctx) => {
      for (let i = 1; i <= 3; i++) await ctx.reportProgress(i, 3, `step ${i}`);
      return "done";
    })
    .addTool("chatty", (_args, ctx) => {
      ctx.log.debug("debug line");
      ctx.log.warning("warning line");
      return "said";
    })
    .addTool("needs_sampling", async (_args, ctx) => {
      await ctx.sample([{ role: "user", content: { type: "text", text: "hi" } }], { maxTokens: 5 });
      return "sampled";
    })
    .addTool(
      "hang",
      async (_args, ctx) => {
        await ctx.reportProgress(1, 2, "started");
        hangStarted.resolve();
        return new Promise((_, reject) => {
          ctx.signal.addEventListener("abort", () => {
            hangAborted.resolve(ctx.signal.reason);
            reject(ctx.signal.reason);
          });
        });
      },
      { description: "Waits until cancelled." },
    )
    .addTool("wait", async (_args, ctx) => {
      // No progress: the answer stays JSON, and the client's leaving is all that ends it.
      waitStarted.resolve();
      return new Promise((_, reject) => {
        const aborted = (): void => {
          waitAborted.resolve(ctx.signal.reason);
          reject(ctx.signal.reason);
        };
        if (ctx.signal.aborted) aborted();
        else ctx.signal.addEventListener("abort", aborted);
      });
    })
    .addResource("test://known", () => "known text")
    .addPrompt("greet", ({ name }) => `Hello ${name}`, {
      arguments: [{ name: "name", required: true }],
      complete: { name: ["Ada", "Alan"] },
    });
}

async function start() {
  const harness = await HttpHarness.start(statelessServer());
  harnesses.push(harness);
  return harness;
}

/** The Mcp-Name a method's body value gives, as a client sends it. */
function nameHeader(method: string, params: Record<string, unknown>): Record<string, string> {
  const value =
    method === "tools/call" || method === "prompts/get"
      ? params.name
      : method === "resources/read"
        ? params.uri
        : undefined;
  return typeof value === "string" ? { "mcp-name": value } : {};
}

/** POSTs a stateless request with the standard headers; `headers` overrides (undefined drops one). */
function post(
  h: HttpHarness,
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string | undefined> = {},
  init: RequestInit = {},
): Promise<Response> {
  const all: Record<string, string | undefined> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": VERSION,
    "mcp-method": method,
    ...nameHeader(method, params),
    ...headers,
  };
  const sent = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  return fetch(h.url, {
    method: "POST",
    headers: sent,
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params: { _meta: META, ...params } }),
    ...init,
  });
}

/** A JSON answer's body, typed loosely for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever the answer holds.
async function json(response: Response): Promise<any> {
  return response.json();
}

/** The JSON-RPC messages of an SSE body, in order. */
async function sseMessages(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}

describe("stateless requests (MCP 2026-07-28) over Streamable HTTP", () => {
  it("answers server/discover with the versions, capabilities, cache hints and serverInfo, without a session", async () => {
    const h = await start();
    const response = await post(h, "server/discover");
    expect(response.status).toBe(200);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = await response.json();
    expect(body).toEqual({
      jsonrpc: "2.0",
      id: 7,
      result: {
        supportedVersions: [VERSION],
        capabilities: {
          // Their changes travel on subscriptions/listen.
          tools: { listChanged: true },
          logging: {},
          resources: { subscribe: true, listChanged: true },
          prompts: { listChanged: true },
          completions: {},
          extensions: { "io.modelcontextprotocol/tasks": {} },
        },
        resultType: "complete",
        ttlMs: 0,
        cacheScope: "private",
        _meta: { "io.modelcontextprotocol/serverInfo": { name: "stateless-test", version: "2.0.0" } },
      },
    });
  });

  it("serves tools, resources, prompts and completion with resultType and serverInfo on every result", async () => {
    const h = await start();
    const calls: [string, Record<string, unknown>][] = [
      ["tools/list", {}],
      ["tools/call", { name: "echo", arguments: { text: "hi" } }],
      ["resources/list", {}],
      ["resources/read", { uri: "test://known" }],
      ["prompts/list", {}],
      ["prompts/get", { name: "greet", arguments: { name: "Ada" } }],
      [
        "completion/complete",
        { ref: { type: "ref/prompt", name: "greet" }, argument: { name: "name", value: "A" } },
      ],
    ];
    for (const [method, params] of calls) {
      const response = await post(h, method, params);
      expect(response.status, method).toBe(200);
      const { result } = await json(response);
      expect(result.resultType, method).toBe("complete");
      expect(result._meta["io.modelcontextprotocol/serverInfo"], method).toEqual({
        name: "stateless-test",
        version: "2.0.0",
      });
    }
    const call = await json(await post(h, "tools/call", { name: "echo", arguments: { text: "hi" } }));
    expect(call.result.content).toEqual([{ type: "text", text: "hi" }]);
    const list = await json(await post(h, "tools/list"));
    expect(list.result).toMatchObject({ ttlMs: 0, cacheScope: "private" });
  });

  it("gives handlers no session id", async () => {
    const h = await start();
    const { result } = await json(await post(h, "tools/call", { name: "whoami", arguments: {} }));
    expect(result.structuredContent).toEqual({ sessionId: null });
  });

  it.each([
    ["no _meta", { _meta: undefined }],
    ["no protocol version", { _meta: { "io.modelcontextprotocol/clientCapabilities": {} } }],
    ["no client capabilities", { _meta: { "io.modelcontextprotocol/protocolVersion": VERSION } }],
  ])("refuses a request with %s: 400 and -32602", async (_case, params) => {
    const h = await start();
    const response = await post(h, "server/discover", params);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      id: 7,
      error: { code: -32602, data: { reason: "invalid-request-meta" } },
    });
  });

  it("does not require clientInfo", async () => {
    const h = await start();
    const response = await post(h, "tools/list");
    expect(response.status).toBe(200);
  });

  it("refuses an unsupported version with 400 and -32022, listing the supported ones", async () => {
    const h = await start();
    const meta = { ...META, "io.modelcontextprotocol/protocolVersion": "2099-01-01" };
    const response = await post(
      h,
      "server/discover",
      { _meta: meta },
      { "mcp-protocol-version": "2099-01-01" },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      id: 7,
      error: {
        code: -32022,
        data: { reason: "protocol-version-unsupported", supported: [VERSION], requested: "2099-01-01" },
      },
    });
  });

  it.each([
    ["a version header unlike _meta's", "server/discover", {}, { "mcp-protocol-version": "2025-11-25" }],
    ["no version header", "server/discover", {}, { "mcp-protocol-version": undefined }],
    ["an Mcp-Method unlike the body's", "tools/list", {}, { "mcp-method": "prompts/list" }],
    ["no Mcp-Method", "tools/list", {}, { "mcp-method": undefined }],
    ["an Mcp-Method in other case", "tools/list", {}, { "mcp-method": "TOOLS/LIST" }],
    [
      "an Mcp-Name unlike params.name",
      "tools/call",
      { name: "echo", arguments: {} },
      { "mcp-name": "other" },
    ],
    ["no Mcp-Name", "tools/call", { name: "echo", arguments: {} }, { "mcp-name": undefined }],
    [
      "a broken base64 Mcp-Name",
      "tools/call",
      { name: "echo", arguments: {} },
      { "mcp-name": "=?base64?%%%?=" },
    ],
  ])("refuses %s with 400 and -32020", async (_case, method, params, headers) => {
    const h = await start();
    const response = await post(h, method, params, headers);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      id: 7,
      error: { code: -32020, data: { reason: "header-mismatch" } },
    });
  });

  it("accepts Mcp-Name in its base64 form and with surrounding whitespace", async () => {
    const h = await start();
    const params = { name: "echo", arguments: { text: "x" } };
    const encoded = `=?base64?${Buffer.from("echo").toString("base64")}?=`;
    expect((await post(h, "tools/call", params, { "mcp-name": encoded })).status).toBe(200);
    expect((await post(h, "tools/call", params, { "mcp-name": "  echo  " })).status).toBe(200);
  });

  it.each(["initialize", "ping", "logging/setLevel", "resources/subscribe", "tasks/result", "no/such"])(
    "answers %s with 404 and -32601: the revision has no such method",
    async (method) => {
      const h = await start();
      const response = await post(h, method);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({
        id: 7,
        error: { code: -32601, data: { reason: "unknown-method", method } },
      });
    },
  );

  it("answers an unknown resource with -32602 (a 2025 session keeps -32002)", async () => {
    const h = await start();
    const response = await post(h, "resources/read", { uri: "test://unknown" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      error: { code: -32602, data: { reason: "unknown-resource", uri: "test://unknown" } },
    });
    await h.initialize();
    const legacy = await h.post(h.request("resources/read", { uri: "test://unknown" }));
    expect(JSON.stringify(await legacy.text())).toContain("-32002");
  });

  it("refuses a handler's need for an undeclared client capability with 400 and -32021", async () => {
    const h = await start();
    const response = await post(h, "tools/call", { name: "needs_sampling", arguments: {} });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      id: 7,
      error: {
        code: -32021,
        data: { reason: "missing-client-capability", requiredCapabilities: { sampling: {} } },
      },
    });
  });

  it("answers a request to the client with input_required once the capability is declared", async () => {
    const h = await start();
    const meta = { ...META, "io.modelcontextprotocol/clientCapabilities": { sampling: {} } };
    const response = await post(h, "tools/call", { name: "needs_sampling", arguments: {}, _meta: meta });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.result.resultType).toBe("input_required");
    expect(Object.values(body.result.inputRequests)).toEqual([
      {
        method: "sampling/createMessage",
        params: { messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 5 },
      },
    ]);
  });

  it("streams progress as SSE before the result", async () => {
    const h = await start();
    const response = await post(h, "tools/call", {
      name: "steps",
      arguments: {},
      _meta: { ...META, progressToken: "p" },
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const messages = await sseMessages(response);
    expect(messages.map((m) => m.method ?? "result")).toEqual([
      "notifications/progress",
      "notifications/progress",
      "notifications/progress",
      "result",
    ]);
    expect(messages[2]).toMatchObject({
      params: { progressToken: "p", progress: 3, total: 3, message: "step 3" },
    });
    expect(messages[3]).toMatchObject({ id: 7, result: { resultType: "complete" } });
  });

  it("sends no log to a request without a log level, and those at or above the level it asks for", async () => {
    const h = await start();
    const silent = await post(h, "tools/call", { name: "chatty", arguments: {} });
    expect(silent.headers.get("content-type")).toBe("application/json");
    expect((await json(silent)).result.content).toEqual([{ type: "text", text: "said" }]);
    const meta = { ...META, "io.modelcontextprotocol/logLevel": "info" };
    const messages = await sseMessages(
      await post(h, "tools/call", { name: "chatty", arguments: {}, _meta: meta }),
    );
    expect(messages.map((m) => m.method ?? "result")).toEqual(["notifications/message", "result"]);
    expect(messages[0]).toMatchObject({ params: { level: "warning" } });
  });

  it("cancels the request when its client closes the stream", async () => {
    hangAborted = createDeferred<unknown>();
    hangStarted = createDeferred<void>();
    const h = await start();
    const controller = new AbortController();
    const response = await post(
      h,
      "tools/call",
      { name: "hang", arguments: {}, _meta: { ...META, progressToken: 1 } },
      {},
      { signal: controller.signal },
    );
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    await hangStarted.promise;
    controller.abort();
    await expect(hangAborted.promise).resolves.toBeDefined();
  });

  it("cancels a request still answering JSON when its client goes away", async () => {
    waitStarted = createDeferred<void>();
    waitAborted = createDeferred<unknown>();
    const h = await start();
    const controller = new AbortController();
    const answered = post(
      h,
      "tools/call",
      { name: "wait", arguments: {} },
      {},
      { signal: controller.signal },
    );
    await waitStarted.promise;
    controller.abort();
    await expect(answered).rejects.toThrow();
    await expect(waitAborted.promise).resolves.toBeDefined();
  });

  it("cancels the stateless requests in flight when the server closes (their connections close)", async () => {
    waitStarted = createDeferred<void>();
    waitAborted = createDeferred<unknown>();
    const h = await start();
    const answered = post(h, "tools/call", { name: "wait", arguments: {} }).catch((error: unknown) => error);
    await waitStarted.promise;
    await h.close();
    await expect(waitAborted.promise).resolves.toBeDefined();
    await answered;
  });

  it("cancels a request whose client leaves right after sending it", async () => {
    waitStarted = createDeferred<void>();
    waitAborted = createDeferred<unknown>();
    const h = await start();
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: 9,
      method: "tools/call",
      params: { name: "wait", arguments: {}, _meta: META },
    });
    // Written and dropped at once: the server may see the request and its end in the same turn.
    const port = Number(new URL(h.url).port);
    const socket = connect(port, "127.0.0.1", () => {
      socket.end(
        `POST /mcp HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\naccept: application/json\r\nmcp-protocol-version: ${VERSION}\r\nmcp-method: tools/call\r\nmcp-name: wait\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      socket.destroy();
    });
    socket.on("error", () => {});
    await expect(waitAborted.promise).resolves.toBeDefined();
  });

  it("accepts a stateless notification with 202", async () => {
    const h = await start();
    const response = await fetch(h.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": VERSION,
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        method: "notifications/roots/list_changed",
        params: { _meta: META },
      }),
    });
    expect(response.status).toBe(202);
  });

  it.each(["GET", "DELETE"])("answers %s for a stateless revision with 405", async (method) => {
    const h = await start();
    const response = await fetch(h.url, {
      method,
      headers: { accept: "text/event-stream", "mcp-protocol-version": VERSION },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("keeps 2025 sessions as they were: server/discover does not exist there", async () => {
    const h = await start();
    await h.initialize();
    const response = await h.post(h.request("server/discover"));
    const text = await response.text();
    expect(text).toContain('"code":-32601');
    expect(text).toContain('"reason":"method-not-found"');
  });
});

describe("protocolVersions: refusing a revision", () => {
  async function startWith(protocolVersions: string[]) {
    const server = FastestMCP.server("picky", { protocolVersions }).addTool("echo", ({ text }) =>
      String(text),
    );
    const harness = await HttpHarness.start(server);
    harnesses.push(harness);
    return harness;
  }

  it("refuses stateless requests with -32022 when only 2025 revisions are served", async () => {
    const h = await startWith(["2025-11-25"]);
    const response = await post(h, "server/discover");
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({
      error: { code: -32022, data: { reason: "protocol-version-unsupported", supported: [] } },
    });
    await h.initialize();
  });

  it("refuses initialize when only 2026-07-28 is served", async () => {
    const h = await startWith(["2026-07-28"]);
    expect((await post(h, "tools/list")).status).toBe(200);
    const response = await h.post(
      h.request("initialize", {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "c", version: "1" },
      }),
    );
    expect(await response.text()).toContain('"reason":"unsupported-protocol-version"');
  });

  it("refuses an unknown version in the option", () => {
    expect(() => FastestMCP.server("bad", { protocolVersions: ["1999-01-01"] })).toThrow(/protocolVersions/);
  });
});

describe("stateless requests through the web-standard front", () => {
  it("answers server/discover and streams progress from server.fetch()", async () => {
    const server = statelessServer();
    const request = (method: string, params: Record<string, unknown>, signal?: AbortSignal) =>
      new Request("http://127.0.0.1:3000/mcp", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": VERSION,
          "mcp-method": method,
          ...nameHeader(method, params),
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { _meta: META, ...params } }),
        ...(signal === undefined ? {} : { signal }),
      });
    try {
      const discover = await server.fetch(request("server/discover", {}));
      expect(discover.status).toBe(200);
      expect((await json(discover)).result.supportedVersions).toEqual([VERSION]);
      const steps = await server.fetch(
        request("tools/call", { name: "steps", arguments: {}, _meta: { ...META, progressToken: 1 } }),
      );
      const messages = await sseMessages(steps);
      expect(messages.map((m) => m.method ?? "result")).toEqual([
        "notifications/progress",
        "notifications/progress",
        "notifications/progress",
        "result",
      ]);
      hangAborted = createDeferred<unknown>();
      hangStarted = createDeferred<void>();
      const controller = new AbortController();
      void server.fetch(request("tools/call", { name: "hang", arguments: {} }, controller.signal));
      await hangStarted.promise;
      controller.abort();
      await expect(hangAborted.promise).resolves.toBeDefined();
      // A client gone before the server looks (here: before it even sent) cancels the request too.
      waitStarted = createDeferred<void>();
      waitAborted = createDeferred<unknown>();
      const gone = new AbortController();
      gone.abort();
      void server.fetch(request("tools/call", { name: "wait", arguments: {} }, gone.signal));
      await expect(waitAborted.promise).resolves.toBeDefined();
    } finally {
      await server.close();
    }
  });
});
