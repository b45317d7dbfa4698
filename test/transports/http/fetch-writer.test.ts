import { describe, expect, it } from "vitest";
import type { HttpExchange } from "../../../src/transports/http/exchange.js";
import { createFetchHandler } from "../../../src/transports/http/fetch.js";
import type { SseWriter } from "../../../src/transports/http/sse-writer.js";
import type { StreamableHttpTransport } from "../../../src/transports/http/streamable-http.js";

async function sseWriter(): Promise<{ writer: SseWriter; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  let writer: SseWriter | undefined;
  const transport = {
    handle: async (exchange: HttpExchange) => {
      writer = exchange.startSse({ "content-type": "text/event-stream" });
    },
  } as unknown as StreamableHttpTransport;
  const response = await createFetchHandler(transport)(new Request("http://localhost/mcp"));
  if (writer === undefined || response.body === null) throw new Error("no SSE response");
  return { writer, reader: response.body.getReader() };
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string[]> {
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(decoder.decode(value));
  }
}

const event = (n: number) => `id: 1.${n}\nevent: message\ndata: {"progress":${n},"text":"é"}\n\n`;

describe("fetch SSE writer", () => {
  it("sends a burst of 10,000 events written in one task as a few chunks, in order, before the end", async () => {
    const { writer, reader } = await sseWriter();
    let expected = "";
    for (let n = 1; n <= 10_000; n++) {
      // Awaiting between events, as a tool reporting progress does: still one task.
      await Promise.resolve();
      writer.write(event(n));
      expected += event(n);
    }
    writer.end();
    const chunks = await readAll(reader);
    expect(chunks.join("")).toBe(expected);
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(expected.length / (32 * 1024)) + 1);
  });

  it("sends what one task wrote after it, and refuses writes once ended", async () => {
    const { writer, reader } = await sseWriter();
    writer.write(event(1));
    writer.write(event(2));
    expect((await reader.read()).value).toEqual(new TextEncoder().encode(event(1) + event(2)));
    writer.write(event(3));
    writer.end();
    expect(writer.write(event(4))).toBe(false);
    expect(await readAll(reader)).toEqual([event(3)]);
  });
});
