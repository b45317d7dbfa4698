import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP, type NodeHandler } from "../../../src/fastestmcp.js";
import { NODE_HIGH_WATER_BYTES } from "../../../src/transports/http/node-sse-writer.js";
import { createDeferred } from "../../../src/util/deferred.js";
import { floodCall, increasing, logsOf, openSession, progressOf, SseText, turn } from "./sse-harness.js";
import { SseReader } from "./sse-reader.js";

/**
 * A real TCP client (node:http) for one POST's SSE answer that can stop reading its socket:
 * `pause()` stops consuming, so the kernel buffers fill and the server's writes back up.
 */
class RawSseClient extends SseText {
  readonly done = createDeferred<"end" | "cut">();
  readonly firstEvent = createDeferred<void>();
  #res: IncomingMessage | undefined;

  static post(url: string, headers: Record<string, string>, body: unknown): Promise<RawSseClient> {
    const client = new RawSseClient();
    return new Promise((resolve, reject) => {
      const req = request(url, { method: "POST", headers, agent: false }, (res) => {
        client.#res = res;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          client.text += chunk;
          if (client.text.includes("\n\n")) client.firstEvent.resolve();
        });
        res.once("end", () => client.done.resolve("end"));
        res.once("aborted", () => client.done.resolve("cut"));
        res.once("error", () => client.done.resolve("cut"));
        res.once("close", () => client.done.resolve(res.complete ? "end" : "cut"));
        resolve(client);
      });
      req.once("error", reject);
      req.end(JSON.stringify(body));
    });
  }

  pause(): void {
    this.#res?.pause();
  }

  resume(): void {
    this.#res?.resume();
  }
}

interface Harness {
  url: string;
  headers: Record<string, string>;
  /** A GET that resumes a stream after `lastEventId`. */
  resume: (lastEventId: string) => Promise<Response>;
  /** The server side of the flood call's SSE response. */
  response: () => ServerResponse;
  serverClosed: Promise<void>;
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

/**
 * A server with a `flood` tool: progress until the client's socket and node's buffer for it are
 * full (the client has stopped reading), then `steps` more progress steps with `logs` logs of
 * `logBytes` characters among them, then the result. The highest `res.writableLength` seen after
 * the client stopped is kept in `held`.
 */
async function start(options: { maxStreamBufferBytes?: number }) {
  let sse: ServerResponse | undefined;
  const serverClosed = createDeferred<void>();
  const stats = { held: 0, last: 0, done: createDeferred<void>() };
  const full = () => (sse?.writableLength ?? 0) > NODE_HIGH_WATER_BYTES;
  const mcp = FastestMCP.server("backpressure", { version: "1.0.0", progressIntervalMs: 0 }).addTool(
    "flood",
    async ({ steps = 20_000, logs = 4, logBytes = 10 }, ctx) => {
      let n = 0;
      while (!full()) {
        for (let k = 0; k < 500; k++) await ctx.reportProgress(++n);
        await turn(); // the socket writes, and fills
      }
      const every = Math.floor((steps as number) / (logs as number));
      for (let i = 1; i <= (steps as number); i++) {
        await ctx.reportProgress(++n);
        if (i % every === 0) ctx.log.info(`log ${i / every}`, { pad: "x".repeat(logBytes as number) });
        if (i % 500 === 0) {
          await turn();
          stats.held = Math.max(stats.held, sse?.writableLength ?? 0);
        }
      }
      stats.last = n;
      stats.done.resolve();
      return { last: n };
    },
  );
  const handler: NodeHandler = mcp.nodeHandler({ keepAliveMs: 0, ...options });
  const http: Server = createServer((req, res) => {
    if (req.headers["x-flood"] !== undefined) {
      sse = res;
      res.once("close", () => serverClosed.resolve());
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  cleanup.push(async () => {
    await handler.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
  const session = await openSession(fetch, url);
  const harness: Harness = {
    url,
    headers: session.headers,
    resume: session.resume,
    response: () => sse as ServerResponse,
    serverClosed: serverClosed.promise,
  };
  return { harness, stats };
}

describe("SSE backpressure on node:http", () => {
  it("holds a bounded amount for a client that stops reading, and delivers the latest progress and every message once it reads", async () => {
    const { harness, stats } = await start({ maxStreamBufferBytes: 64 * 1024 });
    const client = await RawSseClient.post(
      harness.url,
      { ...harness.headers, "x-flood": "1" },
      floodCall(7, {}),
    );
    await client.firstEvent.promise;
    client.pause();
    // The result is computed; it waits with the coalesced progress for the client to read.
    await stats.done.promise;
    // 20,000 steps (~1.5 MB) went to a client that reads nothing: node held at most its mark
    // and one hand-over, and the stream's 64 KiB budget was never passed (the connection stayed).
    expect(stats.held).toBeLessThanOrEqual(NODE_HIGH_WATER_BYTES + 96 * 1024);
    expect(harness.response().destroyed).toBe(false);
    client.resume();
    expect(await client.done.promise).toBe("end");
    const events = client.events;
    const progress = progressOf(events);
    expect(increasing(progress)).toBe(true);
    expect(progress.at(-1)).toBe(stats.last);
    expect(logsOf(events)).toEqual(["log 1", "log 2", "log 3", "log 4"]);
    expect(events.at(-1)?.message).toMatchObject({
      id: 7,
      result: { structuredContent: { last: stats.last } },
    });
  });

  it("closes the connection past the budget; the client resumes with Last-Event-ID and misses nothing but coalesced progress", async () => {
    const { harness, stats } = await start({ maxStreamBufferBytes: 64 * 1024 });
    const client = await RawSseClient.post(
      harness.url,
      { ...harness.headers, "x-flood": "1" },
      floodCall(8, { logs: 40, logBytes: 4096 }),
    );
    await client.firstEvent.promise;
    client.pause();
    // 40 logs of 4 KiB: past 64 KiB the server drops the connection.
    await harness.serverClosed;
    client.resume();
    expect(await client.done.promise).toBe("cut");
    const first = client.events;
    const lastId = first.filter((e) => e.id !== undefined).at(-1)?.id as string;
    const resumed = new SseReader(await harness.resume(lastId));
    await resumed.until((events) => events.some((e) => e.data.includes('"id":8')), 10_000);
    const replayed = resumed.events.map((e) => ({
      id: e.id,
      message: e.data === "" ? undefined : JSON.parse(e.data),
    }));
    const all = [...first, ...replayed];
    expect(logsOf(all)).toEqual(Array.from({ length: 40 }, (_, i) => `log ${i + 1}`));
    const progress = progressOf(all);
    expect(increasing(progress)).toBe(true);
    expect(progress.at(-1)).toBe(stats.last);
    expect(all.at(-1)?.message).toMatchObject({ id: 8, result: { structuredContent: { last: stats.last } } });
    await resumed.cancel();
  });
});
