import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FastestMCP } from "../../src/fastestmcp.js";
import { MAX_MESSAGE_DEPTH, nestsDeeperThan } from "../../src/protocol/json-depth.js";
import { parseJsonRpc } from "../../src/protocol/jsonrpc.js";
import { InvalidRequestError } from "../../src/protocol/protocol-error.js";
import { serveStdio } from "../../src/transports/stdio.js";

// Adversarial clients sent params nested ~5,000+ levels deep: the server answered -32603 and
// printed a stack overflow per request. Such messages are refused when read: -32600,
// `message-too-deep`, the request's id, nothing on stderr, and the server stays up.

/** `depth` nested arrays as JSON text (built as text: JSON.stringify of such a value overflows). */
const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

/** Requests whose params carry a deep value where each method reads a string or an object. */
function deepRequests(id: number, depth: number): Array<{ method: string; text: string }> {
  const deep = nested(depth);
  const envelope = (method: string, params: string) =>
    `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${params}}`;
  return [
    { method: "logging/setLevel", text: envelope("logging/setLevel", `{"level":${deep}}`) },
    { method: "tools/call name", text: envelope("tools/call", `{"name":${deep}}`) },
    {
      method: "tools/call arguments",
      text: envelope("tools/call", `{"name":"echo","arguments":{"x":${deep}}}`),
    },
    { method: "tasks/get", text: envelope("tasks/get", `{"taskId":${deep}}`) },
    { method: "tasks/result", text: envelope("tasks/result", `{"taskId":${deep}}`) },
    { method: "tasks/cancel", text: envelope("tasks/cancel", `{"taskId":${deep}}`) },
    { method: "resources/read", text: envelope("resources/read", `{"uri":${deep}}`) },
  ];
}

function server() {
  return FastestMCP.server("deep").addTool("echo", (args) => args);
}

let stderr: ReturnType<typeof vi.spyOn>;
let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  stderr = vi.spyOn(process.stderr, "write");
  consoleError = vi.spyOn(console, "error");
});
afterEach(() => {
  vi.restoreAllMocks();
});

function expectNothingLogged(): void {
  expect(consoleError).not.toHaveBeenCalled();
  expect(stderr).not.toHaveBeenCalled();
}

describe("nesting depth of a message", () => {
  it("allows exactly MAX_MESSAGE_DEPTH levels and refuses one more, measured without recursion", () => {
    expect(MAX_MESSAGE_DEPTH).toBe(128);
    expect(nestsDeeperThan(JSON.parse(nested(MAX_MESSAGE_DEPTH)), MAX_MESSAGE_DEPTH)).toBe(false);
    expect(nestsDeeperThan(JSON.parse(nested(MAX_MESSAGE_DEPTH + 1)), MAX_MESSAGE_DEPTH)).toBe(true);
    expect(nestsDeeperThan(JSON.parse(nested(200_000)), MAX_MESSAGE_DEPTH)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: 1 }], c: "x" }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  });

  it("parseJsonRpc refuses a deep message with -32600 message-too-deep and accepts one at the limit", () => {
    const atLimit = `{"jsonrpc":"2.0","id":1,"method":"x","params":{"v":${nested(MAX_MESSAGE_DEPTH - 2)}}}`;
    expect(parseJsonRpc(atLimit)).toMatchObject({ id: 1, method: "x" });
    const tooDeep = `{"jsonrpc":"2.0","id":1,"method":"x","params":{"v":${nested(MAX_MESSAGE_DEPTH - 1)}}}`;
    let caught: unknown;
    try {
      parseJsonRpc(tooDeep);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidRequestError);
    expect((caught as InvalidRequestError).reason).toBe("message-too-deep");
    expect((caught as InvalidRequestError).message).toContain(`${MAX_MESSAGE_DEPTH} levels`);
  });
});

describe("a deeply nested request over Streamable HTTP", () => {
  let app: ReturnType<typeof server>;
  let url: string;
  let close: () => Promise<void>;
  let session: string;
  const headers = () => ({
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-session-id": session,
    "mcp-protocol-version": "2025-11-25",
  });

  beforeEach(async () => {
    app = server();
    const http = await app.listen();
    url = http.url;
    close = () => app.close().then(() => http.close());
    const init = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      }),
    });
    session = init.headers.get("mcp-session-id") as string;
  });
  afterEach(() => close());

  it("answers 400 with -32600 message-too-deep and its id, logs nothing, and the session still works", async () => {
    for (const depth of [MAX_MESSAGE_DEPTH + 1, 10_000, 100_000]) {
      for (const [index, { method, text }] of deepRequests(7, depth).entries()) {
        const response = await fetch(url, { method: "POST", headers: headers(), body: text });
        expect(response.status, method).toBe(400);
        const body = (await response.json()) as {
          id: unknown;
          error: { code: number; data: { reason: string } };
        };
        expect(body.id, method).toBe(7);
        expect(body.error.code, method).toBe(-32600);
        expect(body.error.data.reason, `${method} #${index}`).toBe("message-too-deep");
      }
    }
    const ok = await fetch(url, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 8,
        method: "tools/call",
        params: { name: "echo", arguments: { a: 1 } },
      }),
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('"structuredContent":{"a":1}');
    expectNothingLogged();
  });
});

describe("a deeply nested body parsed upstream (express.json())", () => {
  let httpServer: Server;
  afterEach(() => new Promise<void>((resolve) => httpServer.close(() => resolve())));

  it("is refused like the same body sent as text, before anything serialises it", async () => {
    const app = server();
    const handler = app.nodeHandler();
    httpServer = createServer((req: IncomingMessage & { body?: unknown }, res) => {
      let text = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        text += chunk;
      });
      req.on("end", () => {
        req.body = JSON.parse(text);
        handler(req, res);
      });
    });
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    const { port } = httpServer.address() as AddressInfo;
    const text = deepRequests(3, 20_000)[0]?.text;
    const response = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: text,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      id: unknown;
      error: { code: number; data: { reason: string } };
    };
    expect(body).toMatchObject({ id: 3, error: { code: -32600, data: { reason: "message-too-deep" } } });
    await app.close();
    expectNothingLogged();
  });
});

describe("a deeply nested request over stdio", () => {
  it("answers -32600 message-too-deep with its id, logs nothing, and keeps serving", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: Array<Record<string, unknown>> = [];
    let buffer = "";
    const waiters: Array<() => void> = [];
    output.setEncoding("utf8");
    output.on("data", (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf("\n");
      while (newline !== -1) {
        lines.push(JSON.parse(buffer.slice(0, newline)));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
      for (const wake of waiters.splice(0)) wake();
    });
    const until = async (count: number) => {
      while (lines.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    const app = server();
    const transport = await serveStdio(app, { input, output });
    input.write(
      `${JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } })}\n`,
    );
    await until(1);
    input.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
    const requests = deepRequests(9, 50_000);
    for (const { text } of requests) input.write(`${text}\n`);
    await until(1 + requests.length);
    for (const answer of lines.slice(1)) {
      expect(answer).toMatchObject({ id: 9, error: { code: -32600, data: { reason: "message-too-deep" } } });
    }
    input.write(
      `${JSON.stringify({ jsonrpc: "2.0", id: 10, method: "tools/call", params: { name: "echo", arguments: { b: 2 } } })}\n`,
    );
    await until(2 + requests.length);
    expect(lines.at(-1)).toMatchObject({ id: 10, result: { structuredContent: { b: 2 } } });
    await transport.close();
    await app.close();
    expectNothingLogged();
  });
});
