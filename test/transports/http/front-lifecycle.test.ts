import { createHook } from "node:async_hooks";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { closedAfterEach, ECHO_CALL, INITIALIZE, postHeaders, rawRequest } from "./raw-http.js";

const { echoServer, serve } = closedAfterEach("lifecycle");

/**
 * Runs `make` and records the timers (setTimeout/setInterval) it creates; `destroyed()` resolves
 * once every one of them has been cleared. Async hooks see real timers, unref'd ones included.
 */
function trackTimers<T>(make: () => T): { value: T; count: number; destroyed: Promise<void> } {
  const live = new Set<number>();
  let recording = true;
  let resolve!: () => void;
  const destroyed = new Promise<void>((r) => {
    resolve = r;
  });
  const hook = createHook({
    init(asyncId, type) {
      if (recording && type === "Timeout") live.add(asyncId);
    },
    destroy(asyncId) {
      if (live.delete(asyncId) && live.size === 0) {
        hook.disable();
        resolve();
      }
    },
  }).enable();
  const value = make();
  recording = false;
  const count = live.size;
  if (count === 0) {
    hook.disable();
    resolve();
  }
  return { value, count, destroyed };
}

async function postStatus(port: number, headers: Record<string, string>, body: unknown) {
  const answer = await rawRequest(port, "POST", postHeaders({ host: `127.0.0.1:${port}`, ...headers }), body);
  return { status: answer.status, body: answer.body, session: answer.headers["mcp-session-id"] as string };
}

describe("closing the HTTP fronts", () => {
  it("server.close() closes a nodeHandler front: sessions end, streams close, timers stop, later requests get 503", async () => {
    const server = echoServer();
    const timers = trackTimers(() => server.nodeHandler({ keepAliveMs: 1000, sessionIdleTimeoutMs: 60_000 }));
    expect(timers.count).toBe(2); // keep-alive and idle sweep
    const handler = timers.value;
    const port = await serve(handler);
    const { session } = await postStatus(port, {}, INITIALIZE);
    expect(handler.transport.sessionCount).toBe(1);
    const stream = await fetch(`http://127.0.0.1:${port}/mcp`, {
      headers: {
        accept: "text/event-stream",
        "mcp-session-id": session,
        "mcp-protocol-version": "2025-11-25",
      },
    });
    expect(stream.status).toBe(200);
    const ended = stream.text();

    await server.close();

    await ended; // the open GET stream was ended by the server
    await timers.destroyed;
    expect(server.sessions.size).toBe(0);
    expect(handler.transport.sessionCount).toBe(0);
    const late = await postStatus(port, { "mcp-session-id": session }, ECHO_CALL);
    expect(late.status).toBe(503);
    expect(JSON.parse(late.body)).toMatchObject({ error: { data: { reason: "shutting-down" } } });
    expect((await postStatus(port, {}, INITIALIZE)).status).toBe(503);
  });

  it("server.close() closes fetchHandler and fetch() fronts the same way", async () => {
    const server = echoServer();
    const timers = trackTimers(() => server.fetchHandler({ keepAliveMs: 1000 }));
    const handler = timers.value;
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      new Request("http://localhost/mcp", {
        method: "POST",
        headers: postHeaders(headers),
        body: JSON.stringify(body),
      });
    const init = await handler(post(INITIALIZE));
    const session = init.headers.get("mcp-session-id") as string;
    const stream = await handler(
      new Request("http://localhost/mcp", {
        headers: { accept: "text/event-stream", "mcp-session-id": session },
      }),
    );
    const ended = stream.text();
    const viaFetch = trackTimers(() => server.fetch(post(INITIALIZE)));
    expect((await viaFetch.value).status).toBe(200);
    expect(server.sessions.size).toBe(2);

    await server.close();

    await ended;
    await timers.destroyed;
    await viaFetch.destroyed;
    expect(server.sessions.size).toBe(0);
    expect((await handler(post(ECHO_CALL, { "mcp-session-id": session }))).status).toBe(503);
    expect((await server.fetch(post(INITIALIZE))).status).toBe(503);
  });

  it("handler.close() closes one front and leaves the others serving", async () => {
    const server = echoServer();
    const first = server.nodeHandler({ keepAliveMs: 0 });
    const second = server.nodeHandler({ keepAliveMs: 0 });
    const [a, b] = [await serve(first), await serve(second)];
    await postStatus(a, {}, INITIALIZE);
    const { session } = await postStatus(b, {}, INITIALIZE);
    await Promise.all([first.close(), first.close()]);
    expect(server.sessions.size).toBe(1);
    expect((await postStatus(a, {}, INITIALIZE)).status).toBe(503);
    expect((await postStatus(b, { "mcp-session-id": session }, ECHO_CALL)).status).toBe(200);
  });

  it("server.close() closes listen() servers: the port stops accepting", async () => {
    const server = echoServer();
    const handle = await server.listen({ keepAliveMs: 0 });
    expect((await postStatus(handle.port, {}, INITIALIZE)).status).toBe(200);
    await server.close();
    await expect(rawRequest(handle.port, "POST", postHeaders(), INITIALIZE)).rejects.toThrow(/ECONNREFUSED/);
    await handle.close(); // closing twice is harmless
  });

  it("server.close() closes a stdio() transport: it stops reading its input", async () => {
    const server = echoServer();
    const input = new PassThrough();
    const transport = await server.stdio({ input, output: new PassThrough() });
    expect(input.listenerCount("data")).toBe(1);
    await server.close();
    await transport.closed;
    expect(input.listenerCount("data")).toBe(0);
  });
});
