import { PassThrough, Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/fastestmcp.js";
import { type StdioOptions, serveStdio } from "../../src/transports/stdio.js";
import { createDeferred } from "../../src/util/deferred.js";
import { rejection } from "../rejection.js";

// biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary fields of wire messages.
type Message = Record<string, any>;

const INIT_PARAMS = {
  protocolVersion: "2025-11-25",
  capabilities: {},
  clientInfo: { name: "stdio-barrier-test", version: "1.0.0" },
};
const line = (message: unknown) => `${JSON.stringify(message)}\n`;
const call = (id: number, name: string, progressToken?: string) =>
  line({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name, arguments: {}, ...(progressToken ? { _meta: { progressToken } } : {}) },
  });
const isPing = (m: Message) => m.method === "ping";
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server on PassThrough stdio whose output records each write, with waiters on its messages. */
async function start(options: Omit<StdioOptions, "input" | "output"> = {}, plainCalled = () => {}) {
  const logs: Array<{ level: string; message: string; details?: Record<string, unknown> }> = [];
  const server = FastestMCP.server("stdio-barrier", {
    version: "1.0.0",
    progressIntervalMs: 0,
    logger: {
      warn: (message, details) => logs.push({ level: "warn", message, details }),
      error: (message, details) => logs.push({ level: "error", message, details }),
    },
  })
    .addTool("steps", async (_args, ctx) => {
      await ctx.reportProgress(1, 2);
      await ctx.reportProgress(2, 2);
      return "done";
    })
    .addTool("plain", () => {
      plainCalled();
      return "plain";
    });
  servers.push(server);
  const writes: string[] = [];
  const changed = new Set<() => void>();
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString("utf8"));
      for (const listener of [...changed]) listener();
      callback();
    },
  });
  const messages = () =>
    writes
      .join("")
      .split("\n")
      .filter(Boolean)
      .map((text) => JSON.parse(text) as Message);
  /** Resolves with the first message `match` accepts, once it has been written. */
  const waitFor = (match: (m: Message) => boolean) =>
    new Promise<Message>((resolve) => {
      const check = () => {
        const found = messages().find(match);
        if (found === undefined) return;
        changed.delete(check);
        resolve(found);
      };
      changed.add(check);
      check();
    });
  const input = new PassThrough();
  const transport = await serveStdio(server, { ...options, input, output });
  input.write(line({ jsonrpc: "2.0", id: 0, method: "initialize", params: INIT_PARAMS }));
  input.write(line({ jsonrpc: "2.0", method: "notifications/initialized" }));
  await waitFor((m) => m.id === 0);
  return { input, transport, writes, messages, waitFor, logs };
}

describe("stdio transport: progress barrier", () => {
  it("pings after a call's progress and writes the response, in a later write, once the client answers", async () => {
    const { input, writes, messages, waitFor, logs } = await start();
    input.write(call(1, "steps", "t"));
    const ping = await waitFor(isPing);
    expect(ping).toEqual({ jsonrpc: "2.0", id: "progress-barrier-1", method: "ping" });
    // The response was ready before the ping was written: it is held, not late.
    expect(messages().map((m) => m.method ?? m.id)).toEqual([
      0,
      "notifications/progress",
      "notifications/progress",
      "ping",
    ]);
    const writesBefore = writes.length;

    input.write(line({ jsonrpc: "2.0", id: ping.id, result: {} }));
    expect((await waitFor((m) => m.id === 1)).result).toEqual({ content: [{ type: "text", text: "done" }] });
    expect(writes.slice(writesBefore).join("")).toBe(
      line({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "done" }] } }),
    );
    // The answer is the transport's: the session never sees it, so nothing is logged or answered.
    expect(logs).toEqual([]);
    expect(messages().filter((m) => m.id === ping.id)).toEqual([ping]);
  });

  it("sends no ping for a response without progress before it", async () => {
    const { input, messages, waitFor } = await start();
    input.write(call(1, "plain", "t"));
    await waitFor((m) => m.id === 1);
    expect(messages().some(isPing)).toBe(false);
  });

  it("takes an error answer to the ping as an answer too", async () => {
    const { input, waitFor } = await start();
    input.write(call(1, "steps", "t"));
    const ping = await waitFor(isPing);
    input.write(line({ jsonrpc: "2.0", id: ping.id, error: { code: -32601, message: "Method not found" } }));
    expect((await waitFor((m) => m.id === 1)).result).toBeDefined();
  });

  it("with progressBarrier: false, writes the response right after the progress", async () => {
    const { input, messages, waitFor } = await start({ progressBarrier: false });
    input.write(call(1, "steps", "t"));
    await waitFor((m) => m.id === 1);
    expect(messages().some(isPing)).toBe(false);
  });

  it("writes the response after progressBarrierTimeoutMs when the client does not answer, and warns", async () => {
    const { input, messages, waitFor, logs } = await start({ progressBarrierTimeoutMs: 10 });
    input.write(call(1, "steps", "t"));
    await waitFor((m) => m.id === 1);
    expect(logs).toEqual([
      {
        level: "warn",
        message: expect.stringContaining("progress barrier ping"),
        details: { timeoutMs: 10 },
      },
    ]);
    // Barriers stay off for a client that does not answer: no second wait.
    input.write(call(2, "steps", "t2"));
    await waitFor((m) => m.id === 2);
    expect(messages().filter(isPing)).toHaveLength(1);
  });

  it("writes a held response when the input ends, then ends the session", async () => {
    const { input, transport, waitFor } = await start();
    input.write(call(1, "steps", "t"));
    await waitFor(isPing);
    input.end();
    expect((await waitFor((m) => m.id === 1)).result).toBeDefined();
    await transport.closed;
  });

  it("holds later responses behind a held one, keeping their order", async () => {
    let calledHook = (): void => {};
    const { input, messages, waitFor } = await start({}, () => calledHook());
    input.write(call(1, "steps", "t"));
    const ping = await waitFor(isPing);
    const plainCalled = createDeferred<void>();
    calledHook = plainCalled.resolve;
    input.write(call(2, "plain"));
    await plainCalled.promise;
    // The response is queued within the turn the handler ran in: it waits behind the held one.
    await nextTurn();
    expect(messages().some((m) => m.id === 2)).toBe(false);
    input.write(line({ jsonrpc: "2.0", id: ping.id, result: {} }));
    await waitFor((m) => m.id === 2);
    const ids = messages()
      .filter((m) => m.method === undefined)
      .map((m) => m.id);
    expect(ids.indexOf(1)).toBeLessThan(ids.indexOf(2));
  });

  it("rejects a progressBarrierTimeoutMs that is not a whole number >= 1", async () => {
    for (const progressBarrierTimeoutMs of [0, -1, 1.5, Number.NaN]) {
      const error = await rejection(start({ progressBarrierTimeoutMs }).then(() => undefined));
      expect(error).toMatchObject({ code: "FMCP_ERR_OPTION_INVALID" });
      expect((error as Error).message).toContain("progressBarrierTimeoutMs");
    }
  });
});
