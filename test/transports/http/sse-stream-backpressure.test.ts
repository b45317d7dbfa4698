import { describe, expect, it } from "vitest";
import { ReplayBudget } from "../../../src/transports/http/replay-ring.js";
import { SseStream } from "../../../src/transports/http/sse-stream.js";
import type { SseWriter } from "../../../src/transports/http/sse-writer.js";
import { parseSseText } from "./sse-reader.js";

/**
 * A writer whose client reads only when the test says so: it takes every write, reports
 * congestion once `limit` characters wait, and drains (calling the stream back) on `read()`.
 * The fronts' real congestion is tested end to end in sse-backpressure-node/fetch.test.ts.
 */
class SlowClient implements SseWriter {
  congested = false;
  readonly received: string[] = [];
  waiting: string[] = [];
  ended = false;
  aborted = false;
  #drain: (() => void) | undefined;
  #close: (() => void) | undefined;
  constructor(readonly limit: number) {}
  get waitingChars(): number {
    return this.waiting.reduce((sum, chunk) => sum + chunk.length, 0);
  }
  write(chunk: string): boolean {
    if (this.ended || this.aborted) return false;
    this.waiting.push(chunk);
    if (this.waitingChars >= this.limit) this.congested = true;
    return true;
  }
  end(): void {
    this.ended = true;
  }
  abort(): void {
    this.aborted = true;
    this.waiting = [];
    this.#close?.();
  }
  onClose(callback: () => void): void {
    this.#close = callback;
  }
  onDrain(callback: () => void): void {
    this.#drain = callback;
  }
  /** The client reads until nothing waits (each drain may write more). */
  read(): void {
    while (this.waiting.length > 0) {
      this.received.push(...this.waiting);
      this.waiting = [];
      if (this.congested) {
        this.congested = false;
        const drain = this.#drain;
        this.#drain = undefined;
        drain?.();
      }
    }
  }
}

const progress = (n: number, token: string | number = "t") => ({
  jsonrpc: "2.0" as const,
  method: "notifications/progress",
  params: { progressToken: token, progress: n },
});
const log = (text: string) => ({
  jsonrpc: "2.0" as const,
  method: "notifications/message",
  params: { level: "info", data: text },
});
const response = { jsonrpc: "2.0" as const, id: 9, result: { done: true } };

interface Event {
  id: string;
  seq: number;
  message: { method?: string; id?: number; params?: { progress?: number; data?: string } };
}
function events(chunks: string[]): Event[] {
  return parseSseText(chunks.join(""))
    .filter((event) => event.data !== "")
    .map((event) => {
      const id = event.id as string;
      return { id, seq: Number(id.split(".")[1]), message: JSON.parse(event.data) };
    });
}
const progressValues = (list: Event[]) =>
  list.filter((e) => e.message.method === "notifications/progress").map((e) => e.message.params?.progress);
const logs = (list: Event[]) =>
  list.filter((e) => e.message.method === "notifications/message").map((e) => e.message.params?.data);

function stream(maxBufferBytes = 1 << 20, maxEvents = 256) {
  return new SseStream("1", 9, maxEvents, {
    maxBufferBytes,
    replay: new ReplayBudget(Number.POSITIVE_INFINITY),
  });
}

describe("SseStream backpressure", () => {
  it("while congested, coalesces progress in place and queues the rest; the drain delivers all in order", () => {
    const s = stream();
    const client = new SlowClient(200);
    s.attach(client);
    let n = 0;
    while (!client.congested) s.send(progress(++n));
    const beforeStuck = n;
    for (let i = 1; i <= 10_000; i++) {
      s.send(progress(++n));
      if (i % 2500 === 0) s.send(log(`log ${i / 2500}`));
    }
    s.send(progress(++n, "other"));
    s.send(response);
    s.finish();
    // A progress flood does not grow what waits: only the 4 logs, 2 progress events and the response.
    expect(s.bufferedBytes).toBeLessThan(1000);
    expect(client.ended).toBe(false);
    client.read();
    const got = events(client.received);
    const values = progressValues(got);
    expect(values.slice(0, beforeStuck)).toEqual(Array.from({ length: beforeStuck }, (_, i) => i + 1));
    // Strictly increasing, and the latest value of each token arrives.
    expect(values.every((v, i) => i === 0 || (v as number) > (values[i - 1] as number))).toBe(true);
    expect(values).toContain(n - 1);
    expect(values.at(-1)).toBe(n);
    expect(logs(got)).toEqual(["log 1", "log 2", "log 3", "log 4"]);
    expect(got.at(-1)?.message.id).toBe(9);
    // Ids increase (a coalesced event keeps its id), and the stream ended after the backlog.
    expect(got.every((e, i) => i === 0 || e.seq > (got[i - 1] as Event).seq)).toBe(true);
    expect(client.ended).toBe(true);
    expect(s.bufferedBytes).toBe(0);
  });

  it("closes the connection past the budget; the client resumes from its last event id and loses nothing", () => {
    const s = stream(2_000);
    const first = new SlowClient(100);
    s.attach(first);
    s.send(progress(1));
    expect(first.congested).toBe(true);
    first.read(); // the client has event 1.1, then stops reading
    s.send(progress(2));
    for (let i = 1; i <= 30; i++) {
      s.send(log(`log ${i} ${"x".repeat(100)}`));
      s.send(progress(2 + i));
    }
    expect(first.aborted).toBe(true);
    expect(s.connected).toBe(false);
    s.send(progress(1000));
    s.send(response);
    s.finish();
    const lastSeen = events(first.received).at(-1) as Event;
    const resumed = new SlowClient(Number.POSITIVE_INFINITY);
    s.attach(resumed, lastSeen.seq);
    resumed.read();
    const got = events(resumed.received);
    expect(logs(got)).toEqual(Array.from({ length: 30 }, (_, i) => `log ${i + 1} ${"x".repeat(100)}`));
    const values = progressValues([...events(first.received), ...got]);
    expect(values.every((v, i) => i === 0 || (v as number) > (values[i - 1] as number))).toBe(true);
    expect(values.at(-1)).toBe(1000);
    expect(got.at(-1)?.message.id).toBe(9);
    expect(resumed.ended).toBe(true);
  });

  it("never closes for a single event over the budget, which could not be sent any other way", () => {
    const s = stream(1_000);
    const client = new SlowClient(10);
    s.attach(client);
    s.send(progress(1));
    s.send({ jsonrpc: "2.0", id: 9, result: { text: "y".repeat(5_000) } });
    expect(client.aborted).toBe(false);
    expect(s.bufferedBytes).toBeGreaterThan(5_000);
    client.read();
    expect(events(client.received).at(-1)?.message.id).toBe(9);
  });

  it("writes a replay only as far as the new connection takes it, the rest after it drains", () => {
    const s = stream();
    for (let i = 1; i <= 50; i++) s.send(log(`log ${i}`));
    const client = new SlowClient(300);
    s.attach(client, 0);
    expect(events(client.waiting).length).toBeLessThan(50);
    for (let i = 51; i <= 60; i++) s.send(log(`log ${i}`));
    while (client.congested) client.read();
    client.read();
    expect(logs(events(client.received))).toEqual(Array.from({ length: 60 }, (_, i) => `log ${i + 1}`));
  });

  it("without a connection replays a short gap exactly, and coalesces a flood's progress before it evicts other messages", () => {
    const s = stream(1 << 20, 8);
    s.send(log("first"));
    for (let n = 1; n <= 3; n++) s.send(progress(n));
    const early = new SlowClient(Number.POSITIVE_INFINITY);
    s.attach(early, 0);
    early.read();
    expect(logs(events(early.received))).toEqual(["first"]);
    expect(progressValues(events(early.received))).toEqual([1, 2, 3]);
    s.disconnect();
    s.send(log("second"));
    for (let n = 4; n <= 1000; n++) s.send(progress(n));
    s.send(log("third"));
    const late = new SlowClient(Number.POSITIVE_INFINITY);
    s.attach(late);
    late.read();
    const got = events(late.received);
    // 997 progress steps did not push "second" out of the 8-event ring; the latest value arrived.
    expect(logs(got)).toEqual(["second", "third"]);
    const values = progressValues(got);
    expect(values.length).toBeLessThanOrEqual(4);
    expect(values.at(-1)).toBe(1000);
    expect(values.every((v, i) => i === 0 || (v as number) > (values[i - 1] as number))).toBe(true);
  });

  it("sends no keep-alive to a congested connection", () => {
    const s = stream();
    const client = new SlowClient(10);
    s.attach(client);
    s.send(progress(1));
    s.writeRaw(": keepalive\n\n");
    expect(client.waiting.join("")).not.toContain("keepalive");
  });
});

describe("SseStream backpressure, drain edge cases", () => {
  it("goes back to writing directly after a drain that found nothing waiting", () => {
    const s = stream();
    const client = new SlowClient(10);
    s.attach(client);
    s.send(progress(1)); // congests the client; nothing waits in the stream yet
    client.read();
    expect(client.congested).toBe(false);
    s.send(log("after"));
    // Written straight away, not held for a drain that will never come.
    expect(logs(events(client.waiting))).toEqual(["after"]);
    expect(s.bufferedBytes).toBe(0);
  });
});
