import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Client, type ClientOptions } from "../../src/client/index.js";
import { rejection } from "../rejection.js";

// Our client answering 2026-07-28 `input_required` results (SEP-2322) with the same handlers that
// answer 2025's server requests, against a tiny stateless responder written from the spec.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Body = { id: number; method: string; params: Record<string, unknown> };

const ELICIT = {
  method: "elicitation/create",
  params: {
    mode: "form",
    message: "Who?",
    requestedSchema: { type: "object", properties: { name: { type: "string" } } },
  },
};
const SAMPLE = {
  method: "sampling/createMessage",
  params: { messages: [{ role: "user", content: { type: "text", text: "Pick a colour" } }], maxTokens: 5 },
};

/** What the responder answers to a `tools/call`: by tool name and the round the retry is in. */
function toolAnswer(params: Record<string, unknown>): Record<string, unknown> {
  const responses = params.inputResponses as Record<string, Record<string, unknown>> | undefined;
  const state = params.requestState as string | undefined;
  switch (params.name) {
    case "book": {
      // Round 1 asks for a name and a model's pick; round 2 asks for confirmation.
      if (state === undefined)
        return {
          resultType: "input_required",
          inputRequests: { who: ELICIT, colour: SAMPLE },
          requestState: "round-1",
        };
      if (state === "round-1") {
        const name = (responses?.who?.content as { name?: string } | undefined)?.name;
        const colour = (responses?.colour?.content as { text?: string } | undefined)?.text;
        return {
          resultType: "input_required",
          inputRequests: { sure: ELICIT },
          requestState: `round-2:${name}:${colour}`,
        };
      }
      const sure = responses?.sure?.action;
      return { resultType: "complete", content: [{ type: "text", text: `${state} ${String(sure)}` }] };
    }
    case "forever":
      return {
        resultType: "input_required",
        inputRequests: { again: ELICIT },
        requestState: String(Math.random()),
      };
    case "roots":
      return { resultType: "input_required", inputRequests: { r: { method: "roots/list", params: {} } } };
    default:
      return { resultType: "complete", content: [] };
  }
}

async function readBody(request: IncomingMessage): Promise<Body> {
  let text = "";
  for await (const chunk of request) text += chunk;
  return JSON.parse(text) as Body;
}

/**
 * A stateless 2026-07-28 server: `server/discover` and `tools/call`; records what it got. With
 * `rejectFirst`, its first answer is `-32022` listing 2026-07-28 (as the suite's request-metadata
 * scenario does).
 */
async function responder(
  rejectFirst = false,
): Promise<{ url: string; calls: Array<{ headers: IncomingMessage["headers"]; body: Body }> }> {
  const calls: Array<{ headers: IncomingMessage["headers"]; body: Body }> = [];
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    calls.push({ headers: request.headers, body });
    if (rejectFirst && calls.length === 1) {
      const error = {
        code: -32022,
        message: "Unsupported protocol version",
        data: { supported: ["2026-07-28"] },
      };
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ jsonrpc: "2.0", id: body.id, error }));
      return;
    }
    const result =
      body.method === "server/discover"
        ? { resultType: "complete", supportedVersions: ["2026-07-28"], capabilities: { tools: {} } }
        : toolAnswer(body.params);
    const meta = { "io.modelcontextprotocol/serverInfo": { name: "responder", version: "0.0.1" } };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ jsonrpc: "2.0", id: body.id, result: { ...result, _meta: meta } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, calls };
}

async function connect(url: string, options: ClientOptions): Promise<Client> {
  const client = await Client.connect(url, options);
  cleanups.push(() => client.close());
  return client;
}

describe("input_required on 2026-07-28", () => {
  it("answers each round with elicitationHandler and samplingHandler and retries with inputResponses and the echoed requestState", async () => {
    const { url, calls } = await responder();
    const asked: string[] = [];
    const client = await connect(url, {
      elicitationHandler: (params) => {
        asked.push(String(params.message));
        return asked.length === 1
          ? { action: "accept", content: { name: "Ada" } }
          : { action: "accept", content: {} };
      },
      samplingHandler: () => ({ role: "assistant", content: { type: "text", text: "teal" }, model: "m" }),
    });
    expect(client.protocolVersion).toBe("2026-07-28");
    expect(client.serverInfo).toEqual({ name: "responder", version: "0.0.1" });
    const result = await client.callTool("book", { seats: 2 });
    expect(result).toEqual({ content: [{ type: "text", text: "round-2:Ada:teal accept" }] });
    expect(asked).toEqual(["Who?", "Who?"]);
    const rounds = calls.filter((call) => call.body.method === "tools/call");
    expect(rounds.map((call) => call.body.params.requestState)).toEqual([
      undefined,
      "round-1",
      "round-2:Ada:teal",
    ]);
    // Each retry is the original request again (same arguments, headers and envelope) plus the answers.
    for (const call of rounds) {
      expect(call.body.params).toMatchObject({ name: "book", arguments: { seats: 2 } });
      expect(call.headers).toMatchObject({ "mcp-method": "tools/call", "mcp-name": "book" });
      expect(call.body.params._meta).toMatchObject({
        "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} }, sampling: {} },
      });
    }
    expect(rounds[1]?.body.params.inputResponses).toEqual({
      who: { action: "accept", content: { name: "Ada" } },
      colour: { role: "assistant", content: { type: "text", text: "teal" }, model: "m" },
    });
  });

  it("gives up after 10 rounds with input-required-rounds", async () => {
    const { url, calls } = await responder();
    const client = await connect(url, { elicitationHandler: () => ({ action: "decline" }) });
    const error = await rejection(client.callTool("forever", {}));
    expect(error).toMatchObject({
      reason: "input-required-rounds",
      data: { method: "tools/call", rounds: 10 },
    });
    expect(calls.filter((call) => call.body.method === "tools/call")).toHaveLength(11);
  });

  it("fails a call whose input request no handler answers, naming the method", async () => {
    const { url } = await responder();
    const client = await connect(url, {});
    const error = await rejection(client.callTool("book", {}));
    expect(error).toMatchObject({ code: -32601 });
    expect((error as Error).message).toContain("elicitationHandler");
    expect(await rejection(client.callTool("roots", {}))).toMatchObject({ code: -32601 });
  });

  it("probes once more when the server's -32022 lists 2026-07-28 (the corrective retry)", async () => {
    const { url, calls } = await responder(true);
    const client = await connect(url, { protocolVersion: "2026-07-28" });
    expect(client.protocolVersion).toBe("2026-07-28");
    expect(calls.map((call) => call.body.method)).toEqual(["server/discover", "server/discover"]);
  });
});
