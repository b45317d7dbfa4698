import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP, type FetchHandler } from "../../../src/fastestmcp.js";
import type { JsonRpcMessage } from "../../../src/protocol/jsonrpc.js";
import { Session } from "../../../src/server/session/session.js";
import type { HttpExchange } from "../../../src/transports/http/exchange.js";
import { HttpSession, type HttpSessionLimits } from "../../../src/transports/http/http-session.js";
import type { SseWriter } from "../../../src/transports/http/sse-writer.js";
import { openSession } from "./sse-harness.js";

/** A connection that keeps what it is sent (and counts it). */
function recorder(): SseWriter & { chars: number; frames: string[] } {
  const writer = {
    chars: 0,
    frames: [] as string[],
    write: (chunk: string) => {
      writer.chars += chunk.length;
      writer.frames.push(chunk);
      return true;
    },
    end: () => undefined,
    onClose: () => undefined,
  };
  return writer;
}

/** An exchange whose SSE answer a client dropped at once: its stream lives on for replay only. */
function droppedExchange(): HttpExchange {
  return {
    method: "POST",
    path: "/mcp",
    header: () => undefined,
    readBody: () => Promise.resolve(""),
    respond: () => undefined,
    startSse: () => ({ write: () => false, end: () => undefined, onClose: (callback) => callback() }),
  };
}

function httpSession(limits: Partial<HttpSessionLimits> = {}): HttpSession {
  const session = new Session("s1", { dispatch: async () => undefined });
  return new HttpSession(session, { replayBufferSize: 256, retainedStreams: 32, ...limits });
}

/** What a client could still get back with Last-Event-ID from each stream, in characters. */
function replayable(http: HttpSession, streams: number): number {
  let total = 0;
  for (let id = 0; id <= streams; id++) {
    const writer = recorder();
    http.stream(String(id))?.attach(writer, 0);
    total += writer.chars;
  }
  return total;
}

const MiB = 1024 * 1024;
const big = (id: number, chars: number): JsonRpcMessage => ({
  jsonrpc: "2.0",
  id,
  result: { content: [{ type: "text", text: "x".repeat(chars) }] },
});
const log = (n: number, chars: number): JsonRpcMessage => ({
  jsonrpc: "2.0",
  method: "notifications/message",
  params: { level: "info", data: `${n} ${"y".repeat(chars)}` },
});

describe("replay bytes per session", () => {
  it("keeps 32 calls answering ~2 MB each under the default 16 MiB, dropping the oldest finished streams", () => {
    const http = httpSession();
    let most = 0;
    for (let id = 1; id <= 32; id++) {
      const route = http.openRequest(id, droppedExchange(), 1000);
      route.open()?.send(big(id, 2 * 1000 * 1000));
      http.closeRequest(route);
      most = Math.max(most, http.replayBytes);
    }
    expect(replayable(http, 32)).toBeLessThanOrEqual(16 * MiB);
    expect(most).toBeLessThanOrEqual(16 * MiB);
    // The newest answers are still there to resume; the oldest streams are gone (404 on resume).
    const newest = recorder();
    http.stream("32")?.attach(newest, 1);
    expect(newest.frames.at(-1)).toContain('"id":32,');
    expect(http.stream("1")).toBeUndefined();
  });

  it("trims the oldest events of a stream still in flight, and replays from the oldest one kept", () => {
    const http = httpSession({ maxReplayBytesPerSession: MiB });
    const route = http.openRequest(1, droppedExchange(), 1000);
    for (let n = 1; n <= 40; n++) http.send(log(n, 100 * 1024), 1);
    const resumed = recorder();
    http.stream("1")?.attach(resumed, 1);
    expect(resumed.chars).toBeLessThanOrEqual(MiB);
    expect(http.replayBytes).toBeLessThanOrEqual(MiB);
    const numbers = resumed.frames.map((frame) => Number(/"data":"(\d+) /.exec(frame)?.[1]));
    expect(numbers.at(-1)).toBe(40);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => 41 - numbers.length + i));
    http.closeRequest(route);
  });

  it("bounds in bytes the standalone stream's buffer for a session with no GET stream open", () => {
    const http = httpSession({ maxReplayBytesPerSession: MiB });
    for (let n = 1; n <= 100; n++) http.send(log(n, 64 * 1024));
    const get = recorder();
    http.standalone.attach(get);
    expect(get.chars).toBeLessThanOrEqual(MiB);
    expect(http.replayBytes).toBeLessThanOrEqual(MiB);
    expect(get.frames.at(-1)).toContain('"data":"100 ');
  });
});

describe("replay budget over the wire", () => {
  const handlers: FetchHandler[] = [];
  afterEach(async () => {
    await Promise.all(handlers.splice(0).map((h) => h.close()));
  });

  it("answers 404 unknown-event-id for a stream dropped for the budget, and replays a kept one", async () => {
    const answer = "z".repeat(300 * 1024);
    const mcp = FastestMCP.server("replay", { version: "1.0.0" }).addTool("big", async () => {
      await new Promise((resolve) => setImmediate(resolve)); // answered after a turn: as SSE
      return answer;
    });
    const handler = mcp.fetchHandler({ keepAliveMs: 0, maxReplayBytesPerSession: MiB });
    handlers.push(handler);
    const session = await openSession(handler);
    const primingIds: string[] = [];
    for (let id = 1; id <= 8; id++) {
      const response = await session.post({
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        params: { name: "big", arguments: {} },
      });
      const text = await response.text();
      expect(text).toContain(answer);
      primingIds.push(/^id: (\S+)$/m.exec(text)?.[1] as string);
    }
    const dropped = await session.resume(primingIds[0] as string);
    expect(dropped.status).toBe(404);
    expect(await dropped.json()).toMatchObject({ error: { data: { reason: "unknown-event-id" } } });
    const kept = await session.resume(primingIds[7] as string);
    expect(kept.status).toBe(200);
    expect(await kept.text()).toContain(answer);
  });
});
