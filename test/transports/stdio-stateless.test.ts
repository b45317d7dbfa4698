import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/fastestmcp.js";
import { serveStdio } from "../../src/stdio.js";
import { createDeferred } from "../../src/util/deferred.js";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever the answer holds.
type Message = Record<string, unknown> & { id?: unknown; result?: any; error?: any };

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A server on in-memory stdio; `send` writes one line, `response(id)` waits for that id's answer. */
async function connect(protocolVersions?: string[]) {
  const aborted = createDeferred<void>();
  const started = createDeferred<void>();
  const server = FastestMCP.server("stdio-stateless", {
    version: "1.0.0",
    progressIntervalMs: 0,
    ...(protocolVersions === undefined ? {} : { protocolVersions }),
  })
    .addTool("echo", ({ text }) => String(text))
    .addTool("steps", async ({ count }, ctx) => {
      for (let i = 1; i <= (count as number); i++) await ctx.reportProgress(i, count as number);
      return `did ${count}`;
    })
    .addResource("test://x", () => "x")
    .addTool("later", ({ text }) => `later: ${String(text)}`, { task: true })
    .addTool("ask", async (_args, ctx) => {
      const answer = await ctx.elicit<{ name: string }>(
        "Name?",
        { type: "object", properties: { name: { type: "string" } } },
        { inputKey: "name" },
      );
      return `Hello, ${answer.content?.name}!`;
    })
    .addTool("hang", (_args, ctx) => {
      started.resolve();
      return new Promise((_, reject) => {
        ctx.signal.addEventListener("abort", () => {
          aborted.resolve();
          reject(ctx.signal.reason);
        });
      });
    });
  const input = new PassThrough();
  const output = new PassThrough();
  /** Each write to the output, as written. */
  const writes: string[] = [];
  const write = output.write.bind(output);
  output.write = ((chunk: string, ...rest: never[]) => {
    writes.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof output.write;
  const transport = await serveStdio(server, { input, output });
  closers.push(async () => {
    await transport.close();
    await server.close();
  });
  const messages: Message[] = [];
  const waiting = new Map<unknown, (m: Message) => void>();
  const watches = new Set<() => void>();
  /** Resolves once `count` messages of `method` have arrived (checked on every message). */
  const arrived = (method: string, count = 1) =>
    new Promise<void>((resolve) => {
      const watch = () => {
        if (messages.filter((m) => m.method === method).length < count) return;
        watches.delete(watch);
        resolve();
      };
      watches.add(watch);
      watch();
    });
  let buffer = "";
  output.setEncoding("utf8");
  output.on("data", (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl !== -1; nl = buffer.indexOf("\n")) {
      const message = JSON.parse(buffer.slice(0, nl)) as Message;
      buffer = buffer.slice(nl + 1);
      messages.push(message);
      waiting.get(message.id)?.(message);
      for (const watch of [...watches]) watch();
    }
  });
  const send = (message: Record<string, unknown>) =>
    input.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
  const response = (id: unknown) =>
    new Promise<Message>((resolve) => {
      const found = messages.find((m) => m.id === id && !("method" in m));
      if (found !== undefined) resolve(found);
      else waiting.set(id, resolve);
    });
  /** `meta` null: a request without the stateless envelope. */
  const call = (id: number, method: string, params: Record<string, unknown> = {}, meta: unknown = META) => {
    send({ id, method, params: meta === null ? params : { ...params, _meta: meta } });
    return response(id);
  };
  return { send, call, response, messages, started, aborted, server, arrived, input, transport, writes };
}

describe("stdio: the first request pins the connection's revision", () => {
  it("serves a connection that starts statelessly on 2026-07-28 for its whole life", async () => {
    const { call } = await connect();
    const discover = await call(1, "server/discover");
    expect(discover.result).toMatchObject({ supportedVersions: ["2026-07-28"], resultType: "complete" });
    const echo = await call(2, "tools/call", { name: "echo", arguments: { text: "hi" } });
    expect(echo.result).toMatchObject({ content: [{ type: "text", text: "hi" }], resultType: "complete" });
    const initialize = await call(3, "initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "late", version: "1" },
    });
    expect(initialize.error).toMatchObject({ code: -32601, data: { reason: "unknown-method" } });
    const bare = await call(4, "tools/list", {}, null);
    expect(bare.error).toMatchObject({ code: -32602, data: { reason: "invalid-request-meta" } });
  });

  it("pins nothing for a revision the server does not serve: -32022, then initialize still works", async () => {
    const { call, send } = await connect(["2025-11-25"]);
    const discover = await call(1, "server/discover");
    expect(discover.error).toMatchObject({
      code: -32022,
      data: { reason: "protocol-version-unsupported", supported: [], requested: "2026-07-28" },
    });
    const init = await call(
      2,
      "initialize",
      { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "fallback", version: "1" } },
      null,
    );
    expect(init.result).toMatchObject({ protocolVersion: "2025-11-25" });
    send({ method: "notifications/initialized" });
    const echo = await call(3, "tools/call", { name: "echo", arguments: { text: "legacy" } }, null);
    expect(echo.result).toMatchObject({ content: [{ type: "text", text: "legacy" }] });
  });

  it("keeps the 2025 progress barrier for the session a refused probe falls back to", async () => {
    const { call, send, messages, arrived, response } = await connect(["2025-11-25"]);
    expect((await call(1, "server/discover")).error).toMatchObject({ code: -32022 });
    const init = await call(
      2,
      "initialize",
      { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "fallback", version: "1" } },
      null,
    );
    expect(init.result).toMatchObject({ protocolVersion: "2025-11-25" });
    send({ method: "notifications/initialized" });
    send({
      id: 3,
      method: "tools/call",
      params: { name: "steps", arguments: { count: 2 }, _meta: { progressToken: "p" } },
    });
    // The response waits for the ping written after the progress: the client answers it.
    await arrived("ping");
    const ping = messages.find((m) => m.method === "ping") as Message;
    expect(messages.some((m) => m.id === 3)).toBe(false);
    send({ id: ping.id, result: {} });
    expect((await response(3)).result).toMatchObject({ content: [{ text: "did 2" }] });
  });

  it("keeps a connection that starts with initialize on the 2025 session", async () => {
    const { call, send } = await connect();
    const init = await call(
      1,
      "initialize",
      { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "legacy", version: "1" } },
      null,
    );
    expect(init.result).toMatchObject({ protocolVersion: "2025-11-25" });
    send({ method: "notifications/initialized" });
    const discover = await call(2, "server/discover");
    expect(discover.error).toMatchObject({ code: -32601, data: { reason: "method-not-found" } });
  });

  it("answers a handler's ask with input_required and continues on the retry, as over HTTP", async () => {
    const { call, messages } = await connect();
    const meta = { ...META, "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } };
    const first = await call(1, "tools/call", { name: "ask", arguments: {} }, meta);
    expect(first.result).toMatchObject({
      resultType: "input_required",
      inputRequests: { name: { method: "elicitation/create" } },
    });
    // No request to the client ever goes out on a stateless connection.
    expect(messages.filter((m) => "method" in m)).toEqual([]);
    const retry = await call(
      2,
      "tools/call",
      {
        name: "ask",
        arguments: {},
        inputResponses: { name: { action: "accept", content: { name: "Ada" } } },
        requestState: first.result.requestState,
      },
      meta,
    );
    expect(retry.result).toMatchObject({ resultType: "complete", content: [{ text: "Hello, Ada!" }] });
  });

  it("cancels a stateless request on notifications/cancelled", async () => {
    const { call, send, started, aborted, messages } = await connect();
    await call(1, "server/discover");
    send({ id: 2, method: "tools/call", params: { name: "hang", arguments: {}, _meta: META } });
    await started.promise;
    send({ method: "notifications/cancelled", params: { requestId: 2, reason: "enough" } });
    await aborted.promise;
    expect(messages.some((m) => m.id === 2)).toBe(false);
  });

  it("serves the tasks extension: a handle for a request that declares it, then tasks/get with the result inline", async () => {
    const { call } = await connect();
    const meta = {
      ...META,
      "io.modelcontextprotocol/clientCapabilities": { extensions: { "io.modelcontextprotocol/tasks": {} } },
    };
    const created = await call(1, "tools/call", { name: "later", arguments: { text: "x" } }, meta);
    expect(created.result).toMatchObject({ resultType: "task", status: "working" });
    const taskId = created.result.taskId as string;
    let got = await call(2, "tasks/get", { taskId }, meta);
    for (let id = 3; got.result?.status === "working"; id++)
      got = await call(id, "tasks/get", { taskId }, meta);
    expect(got.result).toMatchObject({
      resultType: "complete",
      taskId,
      status: "completed",
      result: { content: [{ type: "text", text: "later: x" }] },
    });
    const bare = await call(100, "tasks/get", { taskId });
    expect(bare.error).toMatchObject({ code: -32021 });
  });
});

describe("stdio, stateless: progress, ids and the connection's end", () => {
  it("writes a call's progress before its result, in order, and the result in a later write of its own", async () => {
    const { call, messages, writes } = await connect();
    const meta = { ...META, progressToken: "t" };
    const result = await call(1, "tools/call", { name: "steps", arguments: { count: 3 } }, meta);
    expect(result.result).toMatchObject({ content: [{ text: "did 3" }] });
    expect(
      messages.map((m) =>
        m.method === undefined ? `r${m.id}` : (m.params as { progress: number }).progress,
      ),
    ).toEqual([1, 2, 3, "r1"]);
    // No ping (a stateless client takes no request): the result waits a gap, then leaves alone.
    const resultWrite = writes.findIndex((text) => text.includes('"id":1'));
    expect(writes[resultWrite]).not.toContain("notifications/progress");
    expect(writes.slice(0, resultWrite).join("")).toContain('"progress":3');
    expect(writes.join("")).not.toContain('"method":"ping"');
  });

  it("aborts the stateless requests in flight when the transport closes", async () => {
    const { send, started, aborted, transport, messages } = await connect();
    send({ id: 1, method: "tools/call", params: { name: "hang", arguments: {}, _meta: META } });
    await started.promise;
    await transport.close();
    await aborted.promise;
    expect(messages.some((m) => m.id === 1)).toBe(false);
  });

  it("refuses a second request under the id of one in flight, and still cancels the first", async () => {
    const { send, call, started, aborted } = await connect();
    send({ id: 1, method: "tools/call", params: { name: "hang", arguments: {}, _meta: META } });
    await started.promise;
    const duplicate = await call(1, "tools/call", { name: "echo", arguments: { text: "again" } });
    expect(duplicate.error).toMatchObject({ code: -32600, data: { reason: "duplicate-request-id" } });
    send({ method: "notifications/cancelled", params: { requestId: 1 } });
    await aborted.promise;
  });

  it("at the end of its input answers the calls in flight, ends its listen streams with their result, then closes", async () => {
    const { send, arrived, input, transport, messages, response } = await connect();
    send({
      id: "sub",
      method: "subscriptions/listen",
      params: { notifications: { toolsListChanged: true }, _meta: META },
    });
    await arrived("notifications/subscriptions/acknowledged");
    send({ id: 2, method: "tools/call", params: { name: "steps", arguments: { count: 2 }, _meta: META } });
    input.end();
    await transport.closed;
    expect((await response(2)).result).toMatchObject({ content: [{ text: "did 2" }] });
    expect((await response("sub")).result).toMatchObject({
      resultType: "complete",
      _meta: { "io.modelcontextprotocol/subscriptionId": "sub" },
    });
    expect(messages.filter((m) => m.id === "sub")).toHaveLength(1);
  });
});

describe("stdio: subscriptions/listen", () => {
  const SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

  it("streams the acknowledgement first and stamped notifications, and a notifications/cancelled ends it", async () => {
    const { send, call, messages, server, arrived } = await connect();
    send({
      id: "sub",
      method: "subscriptions/listen",
      params: { notifications: { toolsListChanged: true, resourceSubscriptions: ["test://x"] }, _meta: META },
    });
    await arrived("notifications/subscriptions/acknowledged");
    server.addTool("new_tool", () => "new");
    server.notifyResourceUpdated("test://y");
    server.notifyResourceUpdated("test://x");
    await arrived("notifications/tools/list_changed");
    await arrived("notifications/resources/updated");
    const stream = messages.filter((m) => typeof m.method === "string");
    expect(stream[0]?.method).toBe("notifications/subscriptions/acknowledged");
    // biome-ignore lint/suspicious/noExplicitAny: reads the stamp of whatever was sent.
    expect(stream.map((m) => (m.params as any)._meta[SUBSCRIPTION_ID])).toEqual(["sub", "sub", "sub"]);
    expect(stream.find((m) => m.method === "notifications/resources/updated")?.params).toMatchObject({
      uri: "test://x",
    });
    // Cancelling the listen request ends it: no answer, and later changes go nowhere.
    send({ method: "notifications/cancelled", params: { requestId: "sub" } });
    expect(
      (await call(2, "tools/call", { name: "echo", arguments: { text: "after" } })).result.content,
    ).toEqual([{ type: "text", text: "after" }]);
    expect(server.notifyResourceUpdated("test://x")).toBe(0);
    expect(messages.some((m) => m.id === "sub")).toBe(false);
  });
});
