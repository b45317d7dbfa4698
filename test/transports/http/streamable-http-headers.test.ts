import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import type { HttpExchange } from "../../../src/transports/http/exchange.js";
import type { SseWriter } from "../../../src/transports/http/sse-writer.js";
import { StreamableHttpTransport } from "../../../src/transports/http/streamable-http.js";

interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string;
  sse?: boolean;
}

const transports: StreamableHttpTransport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
});

function transport(options = {}) {
  const server = FastestMCP.server("headers").addTool("echo", ({ text }) => String(text));
  const t = new StreamableHttpTransport(server.sessions, options);
  transports.push(t);
  return t;
}

/** Posts `body` through a fake exchange and resolves with what the transport answered. */
async function post(t: StreamableHttpTransport, body: unknown, headers: Record<string, string>) {
  let answer: Answer | undefined;
  const exchange: HttpExchange = {
    method: "POST",
    path: "/mcp",
    // A loopback Host, as every real request has one (the DNS-rebinding check needs it).
    header: (name) => (name === "host" ? (headers.host ?? "localhost") : headers[name]),
    readBody: () => Promise.resolve(JSON.stringify(body)),
    respond: (status, h, b) => {
      answer = { status, headers: { ...h }, ...(b === undefined ? {} : { body: b }) };
    },
    startSse: (h): SseWriter => {
      answer = { status: 200, headers: { ...h }, sse: true };
      return { write: () => true, end: () => undefined, onClose: () => undefined };
    },
  };
  await t.handle(exchange);
  return answer as Answer;
}

async function initialize(t: StreamableHttpTransport) {
  const answer = await post(
    t,
    {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } },
    },
    { "content-type": "application/json", accept: "application/json, text/event-stream" },
  );
  return answer.headers["mcp-session-id"] as string;
}

const echo = (id: number) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: "echo", arguments: { text: "hi" } },
});

describe("Streamable HTTP headers", () => {
  it("reads Content-Type and Accept case-insensitively", async () => {
    const t = transport();
    const session = await initialize(t);
    const base = { "mcp-session-id": session };
    const upper = await post(t, echo(1), {
      ...base,
      "content-type": "Application/JSON; charset=utf-8",
      accept: "APPLICATION/JSON, TEXT/EVENT-STREAM",
    });
    expect(upper.status).toBe(200);
    expect(JSON.parse(upper.body as string)).toMatchObject({ id: 1, result: { content: [{ text: "hi" }] } });
    const jsonOnly = await post(t, echo(2), {
      ...base,
      "content-type": "application/json",
      accept: "Application/Json",
    });
    expect(jsonOnly.status).toBe(200);
    const any = await post(t, echo(3), { ...base, "content-type": "application/json", accept: "*/*" });
    expect(any.status).toBe(200);
    const html = await post(t, echo(4), { ...base, "content-type": "application/json", accept: "text/html" });
    expect(html.status).toBe(406);
    const text = await post(t, echo(5), { ...base, "content-type": "text/plain", accept: "*/*" });
    expect(text.status).toBe(415);
  });

  it("names each response's own session, for JSON answers and SSE streams", async () => {
    const t = transport({ immediateJson: false });
    const a = await initialize(t);
    const b = await initialize(t);
    expect(a).not.toBe(b);
    const headers = (session: string) => ({
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-session-id": session,
    });
    const sseA = await post(t, echo(1), headers(a));
    const sseB = await post(t, echo(1), headers(b));
    expect(sseA).toMatchObject({ sse: true, headers: { "mcp-session-id": a } });
    expect(sseB).toMatchObject({ sse: true, headers: { "mcp-session-id": b } });
    expect(sseA.headers["content-type"]).toBe("text/event-stream");

    const json = transport({ jsonResponse: true });
    const c = await initialize(json);
    const answer = await post(json, echo(1), headers(c));
    expect(answer).toMatchObject({
      status: 200,
      headers: { "content-type": "application/json", "mcp-session-id": c },
    });
  });
});
