import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  Client,
  type ClientTransport,
  type RemoteTaskState,
  RequestTimeoutError,
  StreamableHttpClientTransport,
} from "../../src/client/index.js";
import { FastestMCP, type HttpServerHandle } from "../../src/fastestmcp.js";
import type { JsonRpcMessage } from "../../src/protocol/jsonrpc.js";
import { createDeferred } from "../../src/util/deferred.js";
import { rejection } from "../rejection.js";

// Timeouts that progress keeps alive, over real HTTP against our server: `timeout` is the idle
// time between progress notifications, `maxTotalTimeout` the hard cap.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The idle timeout of these tests; the ticking tool reports 5 times as often. */
const IDLE_MS = 500;

function timeoutServer(aborted: (tool: string) => void) {
  return FastestMCP.server("timeouts", { version: "1.0.0", progressIntervalMs: 0 })
    .addTool(
      "ticks",
      async ({ steps = 8 }, ctx) => {
        // Runs well past IDLE_MS in total, but never goes IDLE_MS without progress.
        const progress = ctx.progress().setTotal(steps as number);
        for (let i = 0; i < (steps as number); i++) {
          await sleep(IDLE_MS / 5);
          if (ctx.signal.aborted) {
            aborted("ticks");
            throw ctx.signal.reason;
          }
          progress.increment();
        }
        return "ticked";
      },
      { task: { mode: "optional", pollInterval: 10 } },
    )
    .addTool(
      "hang",
      (_args, ctx) =>
        new Promise((_, reject) =>
          ctx.signal.addEventListener("abort", () => {
            aborted("hang");
            reject(ctx.signal.reason);
          }),
        ),
      { task: { mode: "optional", pollInterval: 10 } },
    );
}

async function serve(): Promise<{ url: string; aborted: Promise<string> }> {
  const abort = createDeferred<string>();
  const server = timeoutServer(abort.resolve);
  const handle: HttpServerHandle = await server.listen({ keepAliveMs: 0 });
  cleanups.push(async () => {
    await handle.close();
    await server.close();
  });
  return { url: handle.url, aborted: abort.promise };
}

/** A transport that records what the client sends. */
function recording(
  url: string,
  options: ConstructorParameters<typeof StreamableHttpClientTransport>[1] = {},
) {
  const inner = new StreamableHttpClientTransport(url, options);
  const sent: JsonRpcMessage[] = [];
  const transport: ClientTransport = {
    start: (events) => inner.start(events),
    send: (message) => {
      sent.push(message);
      return inner.send(message);
    },
    initialized: (version) => inner.initialized(version),
    close: () => inner.close(),
  };
  return { transport, sent };
}

async function connect(target: string | ClientTransport, options = {}): Promise<Client> {
  // The 2025-11-25 wire (notifications/cancelled, tasks/result); 2026-07-28 has its own file.
  const client = await Client.connect(target, { protocolVersion: "2025-11-25", ...options });
  cleanups.push(() => client.close());
  return client;
}

describe("Client timeouts that progress keeps alive", () => {
  it("asks for progress on every request by default, so no handler is needed", async () => {
    const { url } = await serve();
    const { transport, sent } = recording(url);
    const client = await connect(transport);
    await client.listTools();
    await client.ping();
    const requests = sent.filter((m) => "id" in m && "method" in m) as Array<{ params: { _meta?: object } }>;
    expect(requests).toHaveLength(3); // initialize, tools/list, ping
    for (const request of requests) expect(request.params._meta).toHaveProperty("progressToken");
  });

  it("sends no progress token with requestProgress: false and no handler", async () => {
    const { url } = await serve();
    const { transport, sent } = recording(url);
    const client = await connect(transport, { requestProgress: false });
    await client.listTools();
    for (const message of sent) expect(JSON.stringify(message)).not.toContain("progressToken");
  });

  it("keeps a call that reports progress alive past its timeout, without any handler", async () => {
    const { url } = await serve();
    const client = await connect(url);
    // 8 steps of IDLE_MS / 5: the call runs 1.6 × its timeout.
    const result = await client.callTool("ticks", { steps: 8 }, { timeout: IDLE_MS });
    expect(result.content).toEqual([{ type: "text", text: "ticked" }]);
  });

  it("rejects at maxTotalTimeout while progress still flows, naming that limit, and cancels on the server", async () => {
    const { url, aborted } = await serve();
    const client = await connect(url);
    const call = client.callTool("ticks", { steps: 1000 }, { timeout: 60_000, maxTotalTimeout: IDLE_MS });
    const error = await rejection(call);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({
      code: -32001,
      reason: "request-total-timeout",
      timeoutMs: IDLE_MS,
      data: { limit: "maxTotalTimeout", method: "tools/call" },
    });
    expect(error.message).toContain("maxTotalTimeout");
    expect(await aborted).toBe("ticks");
  });

  it("rejects after timeout without progress, naming that limit, and cancels on the server", async () => {
    const { url, aborted } = await serve();
    const client = await connect(url);
    const error = await rejection(client.callTool("hang", {}, { timeout: 100 }));
    expect(error).toMatchObject({
      reason: "request-timeout",
      data: { limit: "timeout", method: "tools/call" },
    });
    expect(await aborted).toBe("hang");
  });

  it("takes maxTotalTimeout from the client's options", async () => {
    const { url } = await serve();
    const client = await connect(url, { maxTotalTimeout: 100 });
    expect(await rejection(client.callTool("hang", {}))).toMatchObject({ reason: "request-total-timeout" });
  });
});

describe("Client task waits", () => {
  it("cancels the task with tasks/cancel when a wait runs past maxTotalTimeout", async () => {
    const { url, aborted } = await serve();
    const cancelled = createDeferred<RemoteTaskState>();
    const client = await connect(url, {
      taskStatusHandler: (task: RemoteTaskState) => {
        if (task.status === "cancelled") cancelled.resolve(task);
      },
    });
    const task = await client.callTool("hang", {}, { task: true });
    const error = await rejection(task.wait({ maxTotalTimeout: 100 }));
    expect(error).toMatchObject({ reason: "request-total-timeout", data: { limit: "maxTotalTimeout" } });
    expect((await cancelled.promise).taskId).toBe(task.taskId);
    expect(await aborted).toBe("hang");
    expect((await task.status()).status).toBe("cancelled");
  });

  it("cancels the task when a blocking tasks/result runs past its maxTotalTimeout", async () => {
    const { url } = await serve();
    const client = await connect(url);
    const task = await client.callTool("hang", {}, { task: true });
    const error = await rejection(task.result({ maxTotalTimeout: 100 }));
    expect(error).toMatchObject({ reason: "request-total-timeout" });
    // tasks/cancel went out before the rejection; its answer may still be on its way.
    let status = (await task.status()).status;
    while (status !== "cancelled") status = (await task.status()).status;
    expect(status).toBe("cancelled");
  });

  it("asks again when a blocking tasks/result loses its connection", async () => {
    const { url } = await serve();
    let failed = 0;
    const flakyFetch: typeof fetch = async (input, init) => {
      if (init?.method === "POST" && String(init.body).includes('"tasks/result"') && failed === 0) {
        failed++;
        throw new TypeError("socket hang up");
      }
      return fetch(input, init);
    };
    const client = await connect(url, { fetch: flakyFetch });
    const task = await client.callTool("ticks", { steps: 2 }, { task: true });
    expect(await task.result()).toMatchObject({ content: [{ type: "text", text: "ticked" }] });
    expect(failed).toBe(1);
  });
});
