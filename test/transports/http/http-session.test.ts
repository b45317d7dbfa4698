import { describe, expect, it } from "vitest";
import { Session } from "../../../src/server/session/session.js";
import type { HttpExchange } from "../../../src/transports/http/exchange.js";
import { HttpSession } from "../../../src/transports/http/http-session.js";
import type { SseWriter } from "../../../src/transports/http/sse-writer.js";

/** An exchange that records the SSE text it is asked to write. */
function exchange(): HttpExchange & { chunks: string[]; sseStarts: number } {
  const ex = {
    method: "POST",
    path: "/mcp",
    chunks: [] as string[],
    sseStarts: 0,
    header: () => undefined,
    readBody: () => Promise.resolve(""),
    respond: () => undefined,
    startSse: (): SseWriter => {
      ex.sseStarts++;
      return {
        write: (chunk) => {
          ex.chunks.push(chunk);
          return true;
        },
        end: () => undefined,
        onClose: () => undefined,
      };
    },
  };
  return ex;
}

function httpSession(retainedStreams = 32): HttpSession {
  const session = new Session("s1", { dispatch: async () => undefined });
  return new HttpSession(session, { replayBufferSize: 16, retainedStreams });
}

const note = (n: number) => ({ jsonrpc: "2.0" as const, method: "notifications/progress", params: { n } });
const ids = (chunks: string[]) => chunks.map((chunk) => /^id: (\S+)/.exec(chunk)?.[1]);

describe("HttpSession request routes", () => {
  it("opens no stream for a request that sends nothing before its answer", () => {
    const http = httpSession();
    const ex = exchange();
    const route = http.openRequest(1, ex, 1000);
    http.closeRequest(route);
    expect(route.stream).toBeUndefined();
    expect(ex.sseStarts).toBe(0);
    expect(http.stream("1")).toBeUndefined();
    // The first stream actually opened gets the first id.
    const streamed = http.openRequest(2, exchange(), 1000);
    http.send(note(1), 2);
    expect(streamed.stream?.id).toBe("1");
  });

  it("opens the stream on the first related message: primed, then the message, resumable after close", () => {
    const http = httpSession();
    const ex = exchange();
    const route = http.openRequest(7, ex, 500);
    http.send(note(1), 7);
    http.send(note(2), 7);
    expect(ex.sseStarts).toBe(1);
    expect(ex.chunks[0]).toContain("retry: 500");
    expect(ids(ex.chunks)).toEqual(["1.1", "1.2", "1.3"]);
    http.closeRequest(route);
    // Later messages about the request go to the standalone stream.
    http.send(note(3), 7);
    const standalone = exchange();
    http.standalone.attach(standalone.startSse({}));
    expect(ids(standalone.chunks)).toEqual(["0.1"]);
    // The finished request stream is still there for Last-Event-ID replay.
    const resumed = exchange();
    http.stream("1")?.attach(resumed.startSse({}), 1);
    expect(ids(resumed.chunks)).toEqual(["1.2", "1.3"]);
  });

  it("sends no priming event without a retry delay, and open() after close is a no-op", () => {
    const http = httpSession();
    const ex = exchange();
    const route = http.openRequest("a", ex, undefined);
    route.open();
    expect(ex.chunks).toEqual([]);
    http.closeRequest(route);
    const late = http.openRequest("b", exchange(), 1000);
    http.closeRequest(late);
    expect(late.open()).toBeUndefined();
  });

  it("keeps at most retainedStreams request streams, evicting the oldest finished, never one in flight", () => {
    const http = httpSession(2);
    const inflight = http.openRequest("busy", exchange(), 1000);
    inflight.open();
    for (let id = 1; id <= 4; id++) {
      const route = http.openRequest(id, exchange(), 1000);
      http.send(note(id), id);
      http.closeRequest(route);
    }
    expect(http.stream("1")).toBeDefined(); // in flight
    expect(http.stream("2")).toBeUndefined();
    expect(http.stream("3")).toBeUndefined();
    expect(http.stream("4")).toBeUndefined();
    expect(http.stream("5")).toBeDefined();
    expect(http.stream("0")).toBe(http.standalone);
  });
});
