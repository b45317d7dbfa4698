import { describe, expect, it } from "vitest";
import { Client, StreamableHttpClientTransport } from "../../src/client/index.js";
import { isProtocolError } from "../../src/protocol/protocol-error.js";
import { rejection } from "../rejection.js";

const ENDPOINT = "http://127.0.0.1:1/mcp";

/** A `fetch` that answers every request with `answer()` (or rejects with what it throws). */
function fakeFetch(answer: () => Response): typeof fetch {
  return async () => answer();
}

/** The error `Client.connect` rejects with over a transport whose fetch answers with `answer`. */
function connectError(answer: () => Response) {
  return rejection(Client.connect(ENDPOINT, { fetch: fakeFetch(answer), maxReconnects: 0 }));
}

function sse(body: string): Response {
  return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
}

describe("Client transport failures are ProtocolErrors", () => {
  it("connection-failed when the server cannot be reached, with the network error as cause", async () => {
    const network = new TypeError("fetch failed");
    const error = await connectError(() => {
      throw network;
    });
    expect(isProtocolError(error)).toBe(true);
    expect(error).toMatchObject({ reason: "connection-failed", code: -32000, data: { url: ENDPOINT } });
    expect(error.message).toContain("fetch failed");
    expect(error.cause).toBe(network);
  });

  it("http-error for an HTTP error status without a JSON-RPC error, with the status", async () => {
    const error = await connectError(() => new Response("upstream down", { status: 502 }));
    expect(isProtocolError(error)).toBe(true);
    expect(error).toMatchObject({ reason: "http-error", code: -32603, data: { status: 502 } });
    expect(error.message).toBe("HTTP 502: upstream down");
  });

  it("keeps the server's reason of an HTTP error, adds the status, also for a message without an id", async () => {
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32600, message: "Unknown or ended session.", data: { reason: "session-not-found" } },
    });
    const transport = new StreamableHttpClientTransport(ENDPOINT, {
      fetch: fakeFetch(() => new Response(body, { status: 404 })),
    });
    await transport.start({ onMessage: () => undefined, onClose: () => undefined });
    const error = await rejection(transport.send({ jsonrpc: "2.0", method: "notifications/initialized" }));
    expect(isProtocolError(error)).toBe(true);
    expect(error).toMatchObject({ reason: "session-not-found", code: -32600, data: { status: 404 } });
    expect(error.message).toBe("Unknown or ended session.");
  });

  it("malformed-response for an answer that is neither JSON nor SSE", async () => {
    const error = await connectError(
      () => new Response("<html></html>", { status: 200, headers: { "content-type": "text/html" } }),
    );
    expect(error).toMatchObject({ reason: "malformed-response", data: { contentType: "text/html" } });
  });

  it("malformed-response for a JSON answer that is not JSON-RPC", async () => {
    const error = await connectError(
      () => new Response("{oops", { status: 200, headers: { "content-type": "application/json" } }),
    );
    expect(isProtocolError(error)).toBe(true);
    expect(error).toMatchObject({ reason: "malformed-response", data: { body: "{oops" } });
  });

  it("malformed-response at once for an SSE event on a request's stream that is not JSON-RPC", async () => {
    const error = await connectError(() => sse("id: 0.1\ndata: {oops\n\n"));
    expect(isProtocolError(error)).toBe(true);
    expect(error).toMatchObject({ reason: "malformed-response", code: -32603, data: { event: "{oops" } });
  });

  it("stream-lost when a request's SSE stream ends before its answer and cannot be resumed", async () => {
    const error = await connectError(() => sse(": nothing to say\n\n"));
    expect(isProtocolError(error)).toBe(true);
    expect(error).toMatchObject({ reason: "stream-lost", code: -32603 });
  });
});

describe("Client stdio failures are ProtocolErrors", () => {
  it("transport-closed for waiting requests when the server process exits", async () => {
    const exitOnInput = "process.stdin.once('data', () => process.exit(3))";
    const error = await rejection(Client.connect({ command: process.execPath, args: ["-e", exitOnInput] }));
    expect(isProtocolError(error)).toBe(true);
    expect(error).toMatchObject({ reason: "transport-closed", code: -32000, data: { exitCode: 3 } });
  });

  it("connection-failed when the server process cannot be started", async () => {
    const command = "./no-such-mcp-server";
    const error = await rejection(Client.connect({ command }));
    expect(isProtocolError(error)).toBe(true);
    expect(error).toMatchObject({ reason: "connection-failed", code: -32000, data: { command } });
    expect(error.cause).toMatchObject({ code: "ENOENT" });
  });
});
