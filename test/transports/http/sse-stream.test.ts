import { describe, expect, it } from "vitest";
import { parseEventId, SseStream } from "../../../src/transports/http/sse-stream.js";
import type { SseWriter } from "../../../src/transports/http/sse-writer.js";

function recorder(): SseWriter & { chunks: string[]; ended: boolean } {
  const writer = {
    chunks: [] as string[],
    ended: false,
    write: (chunk: string) => {
      writer.chunks.push(chunk);
      return true;
    },
    end: () => {
      writer.ended = true;
    },
    onClose: () => undefined,
  };
  return writer;
}

const progress = (n: number) => ({
  jsonrpc: "2.0" as const,
  method: "notifications/progress",
  params: { progress: n },
});
const ids = (chunks: string[]) => chunks.map((chunk) => /^id: (\S+)/.exec(chunk)?.[1]);

describe("SseStream", () => {
  it("keeps only the newest events for replay, in order, across many evictions", () => {
    const stream = new SseStream("7", 1, 3);
    for (let n = 1; n <= 1000; n++) stream.send(progress(n));
    const writer = recorder();
    stream.attach(writer, 0);
    expect(ids(writer.chunks)).toEqual(["7.998", "7.999", "7.1000"]);
  });

  it("replays only what came after the Last-Event-ID, then continues live", () => {
    const stream = new SseStream("2", "r", 10);
    stream.prime(500);
    for (let n = 1; n <= 4; n++) stream.send(progress(n));
    const writer = recorder();
    stream.attach(writer, parseEventId("2.3")?.seq);
    stream.send(progress(5));
    expect(ids(writer.chunks)).toEqual(["2.4", "2.5", "2.6"]);
  });

  it("sends a new connection only what no connection has received yet", () => {
    const stream = new SseStream("0", undefined, 10);
    const first = recorder();
    stream.attach(first);
    stream.send(progress(1));
    stream.disconnect();
    stream.send(progress(2));
    const second = recorder();
    stream.attach(second);
    expect(ids(first.chunks)).toEqual(["0.1"]);
    expect(ids(second.chunks)).toEqual(["0.2"]);
  });

  it("ends a late connection right after replaying a finished stream", () => {
    const stream = new SseStream("4", 9, 10);
    stream.send(progress(1));
    stream.finish();
    const writer = recorder();
    stream.attach(writer, 0);
    expect(ids(writer.chunks)).toEqual(["4.1"]);
    expect(writer.ended).toBe(true);
  });

  it("parses only event ids it made", () => {
    expect(parseEventId("12.34")).toEqual({ streamId: "12", seq: 34 });
    expect(parseEventId("nope")).toBeUndefined();
    expect(parseEventId("1.0")).toBeUndefined();
  });
});

describe("SseStream replay buffer", () => {
  it("replays across wrap-around without the priming event, and nothing with a zero-size buffer", () => {
    const stream = new SseStream("3", 1, 4);
    stream.prime(100);
    for (let n = 1; n <= 2; n++) stream.send(progress(n));
    const early = recorder();
    stream.attach(early, 0);
    expect(ids(early.chunks)).toEqual(["3.2", "3.3"]);
    for (let n = 3; n <= 9; n++) stream.send(progress(n));
    const late = recorder();
    stream.attach(late, 5);
    expect(ids(late.chunks)).toEqual(["3.7", "3.8", "3.9", "3.10"]);
    expect(late.chunks.at(-1)).toBe(`id: 3.10\nevent: message\ndata: ${JSON.stringify(progress(9))}\n\n`);

    const none = new SseStream("5", 1, 0);
    for (let n = 1; n <= 3; n++) none.send(progress(n));
    const writer = recorder();
    none.attach(writer, 0);
    expect(writer.chunks).toEqual([]);
  });
});
