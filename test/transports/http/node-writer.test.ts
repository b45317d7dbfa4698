import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import type { HttpExchange } from "../../../src/transports/http/exchange.js";
import { createNodeHandler } from "../../../src/transports/http/node.js";
import type { SseWriter } from "../../../src/transports/http/sse-writer.js";
import type { StreamableHttpTransport } from "../../../src/transports/http/streamable-http.js";

/** What the node writer did to its response: data calls, in order, and whether it was corked. */
class FakeResponse {
  readonly calls: string[] = [];
  readonly data: string[] = [];
  corked = 0;
  writableEnded = false;
  destroyed = false;
  headersSent = false;
  writeHead(): void {
    this.headersSent = true;
  }
  flushHeaders(): void {
    this.calls.push("flushHeaders");
  }
  cork(): void {
    this.corked++;
  }
  uncork(): void {
    if (this.corked > 0) this.corked--;
    this.calls.push("uncork");
  }
  write(chunk: string): boolean {
    this.calls.push("write");
    this.data.push(chunk);
    return true;
  }
  end(chunk?: string): void {
    this.calls.push("end");
    if (chunk !== undefined) this.data.push(chunk);
    this.corked = 0;
    this.writableEnded = true;
  }
  once(): void {}
}

function sseWriter(): { res: FakeResponse; writer: SseWriter } {
  const res = new FakeResponse();
  let exchange: HttpExchange | undefined;
  const transport = {
    handle: async (e: HttpExchange) => {
      exchange = e;
    },
  } as unknown as StreamableHttpTransport;
  createNodeHandler(transport)(
    { headers: {}, url: "/mcp" } as IncomingMessage,
    res as unknown as ServerResponse,
  );
  if (exchange === undefined) throw new Error("no exchange");
  return { res, writer: exchange.startSse({}) };
}

const tick = () => new Promise<void>((resolve) => process.nextTick(resolve));
const event = (n: number) => `id: 1.${n}\nevent: message\ndata: {"progress":${n}}\n\n`;

describe("node SSE writer", () => {
  it("sends a burst of 10,000 events written in one tick as a few writes, in order, ending with the response", () => {
    const { res, writer } = sseWriter();
    let expected = "";
    for (let n = 1; n <= 10_000; n++) {
      writer.write(event(n));
      expected += event(n);
    }
    writer.write("final\n\n");
    writer.end();
    expect(res.data.join("")).toBe(`${expected}final\n\n`);
    // ~400 KiB of text: a handful of chunks, not one per event.
    expect(res.data.length).toBeLessThanOrEqual(Math.ceil(expected.length / (32 * 1024)) + 1);
    expect(res.calls.at(-1)).toBe("end");
  });

  it("lets a long burst leave every 32 KiB, before its tick ends, so the client reads while the handler works", () => {
    const { res, writer } = sseWriter();
    let written = 0;
    while (!res.calls.includes("uncork")) {
      writer.write(event(++written));
    }
    // The first 32 KiB went out mid-tick, corked only around its write (one system call for the
    // chunk and its framing); the rest of the tick is gathered as text, not in the response.
    expect(res.data.join("").length).toBeGreaterThanOrEqual(32 * 1024);
    expect(res.calls).toEqual(["write", "uncork"]);
    expect(res.corked).toBe(0);
  });

  it("writes each tick's events once, on the next tick, and uncorks after it", async () => {
    const { res, writer } = sseWriter();
    writer.write(event(1));
    writer.write(event(2));
    expect(res.data).toEqual([]);
    await tick();
    expect(res.data).toEqual([event(1) + event(2)]);
    expect(res.corked).toBe(0);
    writer.write(event(3));
    await tick();
    expect(res.data).toEqual([event(1) + event(2), event(3)]);
    expect(res.calls).toEqual(["write", "uncork", "write", "uncork"]);
  });

  it("flushes the headers of a stream with nothing to say, and refuses writes once ended", async () => {
    const { res, writer } = sseWriter();
    await tick();
    expect(res.calls).toEqual(["flushHeaders"]);
    writer.end();
    expect(writer.write(event(1))).toBe(false);
    await tick();
    expect(res.data).toEqual([]);
  });
});
