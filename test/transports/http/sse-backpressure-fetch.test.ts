import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP, type FetchHandler } from "../../../src/fastestmcp.js";
import { FETCH_HIGH_WATER_BYTES } from "../../../src/transports/http/fetch-sse-writer.js";
import { createDeferred } from "../../../src/util/deferred.js";
import { floodCall, increasing, logsOf, openSession, progressOf, SseText, turn } from "./sse-harness.js";

/** Reads a fetch Response's SSE body only when asked: between calls, nothing pulls. */
class BodyReader extends SseText {
  bytes = 0;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();

  constructor(response: Response) {
    super();
    this.#reader = (response.body as ReadableStream<Uint8Array>).getReader();
  }

  /** Reads until `predicate` holds or the body ends; "cut" if it errored. */
  async readUntil(predicate: () => boolean): Promise<"more" | "end" | "cut"> {
    while (!predicate()) {
      let next: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;
      try {
        next = await this.#reader.read();
      } catch {
        return "cut";
      }
      if (next.done) return "end";
      this.bytes += next.value.byteLength;
      this.text += this.#decoder.decode(next.value, { stream: true });
    }
    return "more";
  }
}

const handlers: FetchHandler[] = [];
afterEach(async () => {
  await Promise.all(handlers.splice(0).map((h) => h.close()));
});

/**
 * A fetch handler with a `flood` tool: `steps` progress steps (yielding to the event loop every
 * 500, as a real handler's I/O would), with `logs` logs of `logBytes` characters in the second
 * half, then the result.
 */
async function start(maxStreamBufferBytes: number) {
  const done = createDeferred<number>();
  const mcp = FastestMCP.server("backpressure", { version: "1.0.0", progressIntervalMs: 0 }).addTool(
    "flood",
    async ({ steps = 30_000, logs = 4, logBytes = 10 }, ctx) => {
      const total = steps as number;
      const every = Math.floor(total / 2 / (logs as number));
      for (let n = 1; n <= total; n++) {
        await ctx.reportProgress(n);
        const second = n - total / 2;
        if (second > 0 && second % every === 0) {
          ctx.log.info(`log ${second / every}`, { pad: "x".repeat(logBytes as number) });
        }
        if (n % 500 === 0) await turn();
      }
      done.resolve(total);
      return { last: total };
    },
  );
  const handler = mcp.fetchHandler({ keepAliveMs: 0, maxStreamBufferBytes });
  handlers.push(handler);
  const session = await openSession(handler);
  return {
    post: (id: number, args: Record<string, unknown>) => session.post(floodCall(id, args)),
    resume: session.resume,
    done: done.promise,
  };
}

describe("SSE backpressure on the fetch front", () => {
  it("queues a bounded amount for a reader that stops pulling, then delivers the latest progress and every message", async () => {
    const server = await start(64 * 1024);
    const body = new BodyReader(await server.post(5, {}));
    expect(await body.readUntil(() => body.text.includes("\n\n"))).toBe("more");
    const before = body.bytes;
    // ~3.7 MB of progress while nothing pulls.
    const last = await server.done;
    expect(await body.readUntil(() => false)).toBe("end");
    // Everything read now was queued for us: the body's mark, one task's chunk, the backlog.
    expect(body.bytes - before).toBeLessThanOrEqual(FETCH_HIGH_WATER_BYTES + 96 * 1024);
    const events = body.events;
    const progress = progressOf(events);
    expect(increasing(progress)).toBe(true);
    expect(progress.at(-1)).toBe(last);
    expect(logsOf(events)).toEqual(["log 1", "log 2", "log 3", "log 4"]);
    expect(events.at(-1)?.message).toMatchObject({ id: 5, result: { structuredContent: { last } } });
  });

  it("errors the body past the budget; a GET with Last-Event-ID gets the rest, no message lost", async () => {
    const server = await start(64 * 1024);
    const body = new BodyReader(await server.post(6, { logs: 40, logBytes: 4096 }));
    expect(await body.readUntil(() => body.text.includes("\n\n"))).toBe("more");
    const last = await server.done;
    expect(await body.readUntil(() => false)).toBe("cut");
    const first = body.events;
    const lastId = first.filter((e) => e.id !== undefined).at(-1)?.id as string;
    const resumed = new BodyReader(await server.resume(lastId));
    await resumed.readUntil(() => resumed.text.includes('"id":6,'));
    const all = [...first, ...resumed.events];
    expect(logsOf(all)).toEqual(Array.from({ length: 40 }, (_, i) => `log ${i + 1}`));
    const progress = progressOf(all);
    expect(increasing(progress)).toBe(true);
    expect(progress.at(-1)).toBe(last);
    expect(all.at(-1)?.message).toMatchObject({ id: 6, result: { structuredContent: { last } } });
  });
});
