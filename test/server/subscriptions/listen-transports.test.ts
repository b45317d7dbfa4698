/**
 * What each transport adds to a `subscriptions/listen` stream: over HTTP a keep-alive comment
 * while it is quiet (proxies cut idle responses); over stdio backpressure from stdout's `write()`
 * and 'drain', so a client that stops reading costs bounded memory, as a congested SSE writer does.
 */
import { PassThrough, Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { serveStdio } from "../../../src/stdio.js";
import { ACK, listenServer, post } from "./listen-harness.js";

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("subscriptions/listen over HTTP", () => {
  it("writes an SSE keep-alive comment while the stream is quiet (keepAliveMs)", async () => {
    const { url } = await listenServer({}, 10);
    const response = await post(url, "subscriptions/listen", { notifications: { toolsListChanged: true } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("\n: keepalive\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain(ACK);
    expect(text).toContain("\n: keepalive\n");
    await reader.cancel();
  });
});

describe("subscriptions/listen over stdio", () => {
  it("holds back while stdout is full, coalescing what changed, and writes the latest once it drains", async () => {
    const server = FastestMCP.server("stdio-listen", { version: "1.0.0" }).addResource("test://x", () => "x");
    const input = new PassThrough();
    const lines: Record<string, unknown>[] = [];
    const arrived = new Map<string, () => void>();
    /** The client: it reads nothing (each write waits) until the test lets it read everything. */
    let reading = false;
    const held: (() => void)[] = [];
    const output = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
          const message = JSON.parse(line) as Record<string, unknown>;
          lines.push(message);
          arrived.get(String(message.method))?.();
        }
        if (reading) callback();
        else held.push(callback);
      },
    });
    const next = (method: string) => new Promise<void>((resolve) => arrived.set(method, resolve));
    const transport = await serveStdio(server, { input, output });
    closers.push(async () => {
      reading = true;
      for (const callback of held.splice(0)) callback();
      await transport.close();
      await server.close();
    });
    const acknowledged = next(ACK);
    input.write(
      `${JSON.stringify({ jsonrpc: "2.0", id: "sub", method: "subscriptions/listen", params: { notifications: { toolsListChanged: true, resourceSubscriptions: ["test://x"] }, _meta: META } })}\n`,
    );
    await acknowledged;
    // stdout is full (the acknowledgement is not read). Updates in ten turns of the event loop
    // would each be written for a client that reads; here they wait, coalesced into one.
    for (let i = 0; i < 10; i++) {
      server.notifyResourceUpdated("test://x");
      await new Promise((resolve) => setImmediate(resolve));
    }
    const updated = next("notifications/resources/updated");
    reading = true;
    for (const callback of held.splice(0)) callback();
    await updated;
    // Queued after everything the stream holds: once it is in, all of it is.
    const marker = next("notifications/tools/list_changed");
    server.addTool("marker", () => "m");
    await marker;
    expect(lines.map((line) => line.method)).toEqual([
      ACK,
      "notifications/resources/updated",
      "notifications/tools/list_changed",
    ]);
  });
});
