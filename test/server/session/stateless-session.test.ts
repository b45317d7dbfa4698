/**
 * input_required results (MCP 2026-07-28, SEP-2322) end to end through the web-standard front:
 * a handler's ctx.elicit/ctx.sample/ctx.listRoots on a stateless request ends the attempt with
 * the input requests and a signed requestState, and the retry with the answers continues. The
 * same handlers serve a 2025-11-25 session with real requests to the client.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Client } from "../../../src/client/index.js";
import type { ElicitationSchema } from "../../../src/context/client-messages.js";
import type { Context } from "../../../src/context/context.js";
import { FastestMCP } from "../../../src/fastestmcp.js";
import type { ServerOptions } from "../../../src/server/server-options.js";

const VERSION = "2026-07-28";
const ALL_CAPABILITIES = { elicitation: {}, sampling: {}, roots: {} };
const NAME_FORM: ElicitationSchema = {
  type: "object",
  properties: { name: { type: "string" } },
  required: ["name"],
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Counts how often each handler ran: a retry runs it again from the start. */
let runs: Record<string, number> = {};

async function greet(ctx: Context): Promise<string> {
  runs.greet = (runs.greet ?? 0) + 1;
  const first = await ctx.elicit<{ name: string }>("First name?", NAME_FORM);
  const last = await ctx.elicit<{ name: string }>("Last name?", NAME_FORM);
  return `Hello, ${first.content?.name} ${last.content?.name}!`;
}

function inputServer(options: ServerOptions = {}): FastestMCP {
  runs = {};
  const server = FastestMCP.server("input-required", { version: "1.0.0", ...options })
    .addTool("greet", (_args, ctx) => greet(ctx))
    .addTool("everything", async ({ topic }, ctx) => {
      runs.everything = (runs.everything ?? 0) + 1;
      const [name, reply, roots] = await Promise.all([
        ctx.elicit<{ name: string }>("Name?", NAME_FORM, { inputKey: "name" }),
        ctx.sample(`Say something about ${String(topic)}`, { maxTokens: 20, inputKey: "model" }),
        ctx.listRoots({ inputKey: "roots" }),
      ]);
      const text = reply.content.type === "text" ? reply.content.text : "";
      return `${name.content?.name}: ${text} in ${roots.map((root) => root.uri).join(",")}`;
    })
    .addResource("test://secret", async (_uri, ctx) => {
      const answer = await ctx.elicit<{ ok: boolean }>("Reveal?", {
        type: "object",
        properties: { ok: { type: "boolean" } },
      });
      return answer.content?.ok === true ? "the secret" : "nothing";
    })
    .addPrompt("intro", async (_args, ctx) => {
      const answer = await ctx.elicit<{ name: string }>("Who?", NAME_FORM, { inputKey: "who" });
      return `Introduce ${answer.content?.name}`;
    });
  closers.push(() => server.close());
  return server;
}

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever the answer holds.
type Answer = { status: number; body: any };

/** Sends one stateless request through `server.fetch()`; `extra` adds params (the retry fields). */
async function call(
  server: FastestMCP,
  method: string,
  params: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  capabilities: Record<string, unknown> = ALL_CAPABILITIES,
): Promise<Answer> {
  const name = (params.name ?? params.uri) as string | undefined;
  const meta = {
    "io.modelcontextprotocol/protocolVersion": VERSION,
    "io.modelcontextprotocol/clientCapabilities": capabilities,
  };
  const response = await server.fetch(
    new Request("http://127.0.0.1/mcp", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": VERSION,
        "mcp-method": method,
        ...(name === undefined ? {} : { "mcp-name": name }),
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { ...params, ...extra, _meta: meta } }),
    }),
  );
  return { status: response.status, body: await response.json() };
}

const accept = (content: Record<string, unknown>) => ({ action: "accept", content });

describe("input_required results (MCP 2026-07-28)", () => {
  it("answers an unanswered ask with input_required, and the retry with the answer continues", async () => {
    const server = inputServer();
    const params = { name: "greet", arguments: {} };
    const first = await call(server, "tools/call", params);
    expect(first.status).toBe(200);
    const round1 = first.body.result;
    expect(round1).toMatchObject({
      resultType: "input_required",
      _meta: { "io.modelcontextprotocol/serverInfo": { name: "input-required", version: "1.0.0" } },
    });
    expect(typeof round1.requestState).toBe("string");
    const [key1] = Object.keys(round1.inputRequests);
    expect(key1).toMatch(/^elicit-0-[0-9a-f]{8}$/);
    expect(round1.inputRequests[key1 as string]).toEqual({
      method: "elicitation/create",
      params: { mode: "form", message: "First name?", requestedSchema: NAME_FORM },
    });

    const second = await call(server, "tools/call", params, {
      inputResponses: { [key1 as string]: accept({ name: "Ada" }) },
      requestState: round1.requestState,
    });
    const round2 = second.body.result;
    expect(round2.resultType).toBe("input_required");
    const [key2] = Object.keys(round2.inputRequests);
    expect(key2).toMatch(/^elicit-1-/);
    expect(round2.requestState).not.toBe(round1.requestState);

    // Round 3 sends only the new answer: the first one travels in the signed state.
    const third = await call(server, "tools/call", params, {
      inputResponses: { [key2 as string]: accept({ name: "Lovelace" }) },
      requestState: round2.requestState,
    });
    expect(third.body.result).toMatchObject({
      resultType: "complete",
      content: [{ type: "text", text: "Hello, Ada Lovelace!" }],
    });
    expect(runs.greet).toBe(3);
  });

  it("lists asks made in parallel together, each kind once, and completes when all are answered", async () => {
    const server = inputServer();
    const params = { name: "everything", arguments: { topic: "rain" } };
    const first = (await call(server, "tools/call", params)).body.result;
    expect(Object.keys(first.inputRequests).sort()).toEqual(["model", "name", "roots"]);
    expect(first.inputRequests.model).toEqual({
      method: "sampling/createMessage",
      params: {
        messages: [{ role: "user", content: { type: "text", text: "Say something about rain" } }],
        maxTokens: 20,
      },
    });
    expect(first.inputRequests.roots).toEqual({ method: "roots/list", params: {} });
    const done = await call(server, "tools/call", params, {
      requestState: first.requestState,
      inputResponses: {
        name: accept({ name: "Ada" }),
        model: { role: "assistant", model: "m", content: { type: "text", text: "it pours" } },
        roots: { roots: [{ uri: "file:///work" }] },
      },
    });
    expect(done.body.result.content).toEqual([{ type: "text", text: "Ada: it pours in file:///work" }]);
  });

  it("asks again for what a retry left out, keeping what it answered, and ignores extra answers", async () => {
    const server = inputServer();
    const params = { name: "everything", arguments: { topic: "sun" } };
    const first = (await call(server, "tools/call", params)).body.result;
    const partial = await call(server, "tools/call", params, {
      requestState: first.requestState,
      inputResponses: { name: accept({ name: "Ada" }), unrelated: accept({ x: 1 }) },
    });
    const again = partial.body.result;
    expect(again.resultType).toBe("input_required");
    expect(Object.keys(again.inputRequests).sort()).toEqual(["model", "roots"]);
    const done = await call(server, "tools/call", params, {
      requestState: again.requestState,
      inputResponses: {
        model: { role: "assistant", model: "m", content: { type: "text", text: "it shines" } },
        roots: { roots: [] },
        another: { whatever: true },
      },
    });
    expect(done.body.result.content[0].text).toBe("Ada: it shines in ");
  });

  it("completes on the first call when the answers come without a state", async () => {
    const server = inputServer();
    const answer = await call(
      server,
      "prompts/get",
      { name: "intro", arguments: {} },
      { inputResponses: { who: accept({ name: "Grace" }), extra: accept({}) } },
    );
    expect(answer.body.result).toMatchObject({ resultType: "complete" });
    expect(answer.body.result.messages[0].content.text).toBe("Introduce Grace");
  });

  it("serves prompts/get and resources/read the same way", async () => {
    const server = inputServer();
    const prompt = (await call(server, "prompts/get", { name: "intro" })).body.result;
    expect(prompt).toMatchObject({ resultType: "input_required", inputRequests: { who: {} } });
    const read = (await call(server, "resources/read", { uri: "test://secret" })).body.result;
    expect(read.resultType).toBe("input_required");
    const [key] = Object.keys(read.inputRequests);
    const done = await call(
      server,
      "resources/read",
      { uri: "test://secret" },
      { requestState: read.requestState, inputResponses: { [key as string]: accept({ ok: true }) } },
    );
    expect(done.body.result.contents[0].text).toBe("the secret");
  });

  it("refuses a tampered requestState with -32602 before the handler runs again", async () => {
    const server = inputServer();
    const params = { name: "greet", arguments: {} };
    const first = (await call(server, "tools/call", params)).body.result;
    const [key] = Object.keys(first.inputRequests);
    const [body, tag] = (first.requestState as string).split(".") as [string, string];
    // A forged answer in the payload, signed with nothing: the tag no longer matches.
    const forged = `${btoa(JSON.stringify({ forged: true })).replace(/=+$/, "")}.${tag}`;
    for (const requestState of [`${first.requestState}-TAMPERED`, forged, `${body}.`, "garbage"]) {
      const answer = await call(server, "tools/call", params, {
        requestState,
        inputResponses: { [key as string]: accept({ name: "Eve" }) },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.error).toMatchObject({ code: -32602, data: { reason: "request-state-invalid" } });
    }
    expect(runs.greet).toBe(1);
  });

  it("refuses a requestState replayed on another call, or signed by a server with another secret", async () => {
    const server = inputServer({ requestState: { secret: "one secret, at least 32 bytes long!!" } });
    const first = (await call(server, "tools/call", { name: "greet", arguments: {} })).body.result;
    const replay = await call(
      server,
      "tools/call",
      { name: "greet", arguments: { other: true } },
      { requestState: first.requestState },
    );
    expect(replay.body.error).toMatchObject({ code: -32602, data: { reason: "request-state-mismatch" } });
    const onPrompt = await call(
      server,
      "prompts/get",
      { name: "intro" },
      { requestState: first.requestState },
    );
    expect(onPrompt.body.error.data.reason).toBe("request-state-mismatch");

    const sameSecret = inputServer({ requestState: { secret: "one secret, at least 32 bytes long!!" } });
    const elsewhere = await call(
      sameSecret,
      "tools/call",
      { name: "greet", arguments: {} },
      { requestState: first.requestState },
    );
    // Another instance with the same secret continues the call.
    expect(elsewhere.body.result.resultType).toBe("input_required");
    const otherSecret = inputServer();
    const refused = await call(
      otherSecret,
      "tools/call",
      { name: "greet", arguments: {} },
      { requestState: first.requestState },
    );
    expect(refused.body.error.data.reason).toBe("request-state-invalid");
  });

  it("refuses an expired requestState", async () => {
    const server = inputServer({ requestState: { ttlMs: 1 } });
    const params = { name: "greet", arguments: {} };
    const first = (await call(server, "tools/call", params)).body.result;
    // Wait for the clock to pass the 1 ms expiry (an event, not a fixed sleep before the assertion).
    const issued = Date.now();
    while (Date.now() <= issued + 1) await new Promise((resolve) => setImmediate(resolve));
    const answer = await call(server, "tools/call", params, { requestState: first.requestState });
    expect(answer.body.error).toMatchObject({ code: -32602, data: { reason: "request-state-expired" } });
  });

  it("refuses malformed inputResponses with -32602", async () => {
    const server = inputServer();
    const params = { name: "greet", arguments: {} };
    for (const inputResponses of [null, 42, { key: 12345 }]) {
      const answer = await call(server, "tools/call", params, { inputResponses });
      expect(answer.body.error).toMatchObject({ code: -32602, data: { reason: "input-responses-invalid" } });
    }
    const first = (await call(server, "tools/call", params)).body.result;
    const [key] = Object.keys(first.inputRequests);
    const wrongKind = await call(server, "tools/call", params, {
      inputResponses: { [key as string]: { roots: [] } },
    });
    expect(wrongKind.body.error).toMatchObject({
      code: -32602,
      data: { reason: "input-responses-invalid", key },
    });
  });

  it("asks only for declared capabilities: an undeclared one is -32021", async () => {
    const server = inputServer();
    const answer = await call(server, "tools/call", { name: "greet", arguments: {} }, {}, { sampling: {} });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: -32021,
      data: { requiredCapabilities: { elicitation: {} } },
    });
  });

  it("serves the same handlers to a 2025-11-25 session with requests to the client", async () => {
    const server = inputServer();
    const handle = await server.listen({ port: 0 });
    const names = ["Ada", "Lovelace"];
    const client = await Client.connect(handle.url, {
      protocolVersion: "2025-11-25",
      elicitationHandler: () => ({ action: "accept", content: { name: names.shift() } }),
    });
    closers.unshift(async () => {
      await client.close();
      await handle.close();
    });
    const result = await client.callTool("greet", {});
    expect(result.content).toEqual([{ type: "text", text: "Hello, Ada Lovelace!" }]);
    // One run: on a session the handler waits for the client's answers.
    expect(runs.greet).toBe(1);
  });

  it("serves the same handlers to our client on 2026-07-28, which answers the input_required rounds", async () => {
    const server = inputServer();
    const handle = await server.listen({ port: 0 });
    const names = ["Ada", "Lovelace"];
    const client = await Client.connect(handle.url, {
      elicitationHandler: () => ({ action: "accept", content: { name: names.shift() } }),
    });
    closers.unshift(async () => {
      await client.close();
      await handle.close();
    });
    expect(client.protocolVersion).toBe("2026-07-28");
    const result = await client.callTool("greet", {});
    expect(result.content).toEqual([{ type: "text", text: "Hello, Ada Lovelace!" }]);
    // Replayed: one run per round (two asks, one after the other), then the run that completes.
    expect(runs.greet).toBe(3);
  });

  it("serves elicitation, sampling and roots to our client on 2026-07-28 through its handlers", async () => {
    const server = inputServer();
    const handle = await server.listen({ port: 0 });
    const client = await Client.connect(handle.url, {
      elicitationHandler: () => ({ action: "accept", content: { name: "Ada" } }),
      samplingHandler: () => ({ role: "assistant", model: "m", content: { type: "text", text: "hi" } }),
      rootsHandler: () => ({ roots: [{ uri: "file:///home/ada" }] }),
    });
    closers.unshift(async () => {
      await client.close();
      await handle.close();
    });
    expect(client.protocolVersion).toBe("2026-07-28");
    expect((await client.callTool("everything", { topic: "x" })).content).toEqual([
      { type: "text", text: "Ada: hi in file:///home/ada" },
    ]);
  });

  it("serves elicitation, sampling and roots to a 2025-11-25 client and in-process, in one run", async () => {
    const server = inputServer();
    const handlers = {
      elicitationHandler: () => ({ action: "accept", content: { name: "Ada" } }),
      samplingHandler: () => ({ role: "assistant", model: "m", content: { type: "text", text: "hi" } }),
      rootsHandler: () => ({ roots: [{ uri: "file:///home/ada" }] }),
    };
    const handle = await server.listen({ port: 0 });
    const client = await Client.connect(handle.url, { ...handlers, protocolVersion: "2025-11-25" });
    closers.unshift(async () => {
      await client.close();
      await handle.close();
    });
    const expected = [{ type: "text", text: "Ada: hi in file:///home/ada" }];
    expect((await client.callTool("everything", { topic: "x" })).content).toEqual(expected);
    // In-process, callTool gives the handler's own value.
    await expect(server.callTool("everything", { topic: "x" }, handlers)).resolves.toBe(expected[0]?.text);
    expect(runs.everything).toBe(2);
  });
});
