import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/fastestmcp.js";
import { StdioServerTransport, serveStdio } from "../../src/transports/stdio.js";
import { createDeferred } from "../../src/util/deferred.js";
import { rejection } from "../rejection.js";

// biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary fields of wire messages.
type Message = Record<string, any>;

const INIT_PARAMS = {
  protocolVersion: "2025-11-25",
  capabilities: {},
  clientInfo: { name: "stdio-test", version: "1.0.0" },
};

const line = (message: unknown) => `${JSON.stringify(message)}\n`;
const request = (id: number | string, method: string, params?: Record<string, unknown>) =>
  line({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) });
const notify = (method: string) => line({ jsonrpc: "2.0", method });
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

/**
 * Collects the newline-delimited messages a stream carries. Every line must be one JSON object:
 * `raw` keeps anything that was not, so tests can assert that nothing else reached the stream.
 */
function collect(stream: NodeJS.ReadableStream) {
  const messages: Message[] = [];
  const raw: string[] = [];
  const waiters: Array<{ match: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  let buffer = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffer += chunk;
    for (let newline = buffer.indexOf("\n"); newline !== -1; newline = buffer.indexOf("\n")) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let message: Message;
      try {
        message = JSON.parse(text) as Message;
      } catch {
        raw.push(text);
        continue;
      }
      messages.push(message);
      for (const waiter of [...waiters]) {
        if (waiter.match(message)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    }
  });
  /** The first message (already received or still to come) that `match` accepts. */
  const waitFor = (match: (m: Message) => boolean, timeoutMs = 3000): Promise<Message> => {
    const found = messages.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching message; got ${JSON.stringify(messages)} ${raw.join("|")}`)),
        timeoutMs,
      );
      waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  };
  const response = (id: number | string | null) => waitFor((m) => m.id === id && !("method" in m));
  return { messages, raw, waitFor, response };
}

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function testServer() {
  const gate = createDeferred<void>();
  const server = FastestMCP.server("stdio-test", { version: "1.0.0", progressIntervalMs: 0 })
    .addTool("echo", ({ text }) => String(text))
    .addTool("steps", async (_args, ctx) => {
      const progress = ctx.progress().setTotal(2);
      for (let i = 1; i <= 2; i++) {
        await tick();
        progress.increment().setMessage(`step ${i}`);
      }
      return "done";
    })
    .addTool("wait", async (_args, ctx) => {
      await Promise.race([
        gate.promise,
        new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
      ]);
      return "released";
    });
  servers.push(server);
  return { server, gate };
}

async function harness(options: { maxLineBytes?: number; output?: PassThrough } = {}) {
  const { server, gate } = testServer();
  const input = new PassThrough();
  const output = options.output ?? new PassThrough();
  const transport = await serveStdio(server, { input, output, maxLineBytes: options.maxLineBytes });
  const wire = options.output === undefined ? collect(output) : undefined;
  const init = async () => {
    input.write(request("init", "initialize", INIT_PARAMS) + notify("notifications/initialized"));
    await wire?.response("init");
  };
  return { server, gate, input, output, transport, wire: wire!, init };
}

describe("stdio transport: framing", () => {
  it("answers each request line with exactly one response line", async () => {
    const { wire, init, input } = await harness();
    await init();
    input.write(request(1, "tools/call", { name: "echo", arguments: { text: "hi" } }));
    expect((await wire.response(1)).result).toEqual({ content: [{ type: "text", text: "hi" }] });
    expect(wire.messages.map((m) => m.id)).toEqual(["init", 1]);
    expect(wire.raw).toEqual([]);
  });

  it("reassembles a message split across chunks, even inside a multi-byte character", async () => {
    const { wire, init, input } = await harness();
    await init();
    const bytes = Buffer.from(request(2, "tools/call", { name: "echo", arguments: { text: "héllo ✓" } }));
    const split = bytes.indexOf(Buffer.from("✓")) + 1;
    input.write(bytes.subarray(0, 10));
    input.write(bytes.subarray(10, split));
    await tick();
    input.write(bytes.subarray(split));
    expect((await wire.response(2)).result).toEqual({ content: [{ type: "text", text: "héllo ✓" }] });
  });

  it("accepts CRLF line endings, several messages per chunk, and ignores empty lines", async () => {
    const { wire, init, input } = await harness();
    await init();
    input.write(`\n\r\n  \n${request(3, "ping").replace("\n", "\r\n")}${request(4, "ping")}\n`);
    expect((await wire.response(3)).result).toEqual({});
    expect((await wire.response(4)).result).toEqual({});
    // A later request's answer: anything the empty lines caused was written before it.
    input.write(request("after", "ping"));
    await wire.response("after");
    expect(wire.messages.filter((m) => m.id !== "after")).toHaveLength(3);
  });

  it("answers a line over maxLineBytes with -32600 and id null, drops it, and keeps reading", async () => {
    const { wire, init, input } = await harness({ maxLineBytes: 200 });
    await init();
    const big = request(5, "tools/call", { name: "echo", arguments: { text: "x".repeat(500) } });
    input.write(big.slice(0, 150));
    input.write(big.slice(150, 400));
    input.write(big.slice(400) + request(6, "ping"));
    expect((await wire.response(null)).error).toMatchObject({ code: -32600, data: { maxLineBytes: 200 } });
    expect((await wire.response(6)).result).toEqual({});
    // A later request's answer: a response to the dropped line would have been written before it.
    input.write(request("after", "ping"));
    await wire.response("after");
    expect(wire.messages.filter((m) => m.id === 5 || m.id === null)).toHaveLength(1);
  });

  it("writes one valid JSON message per line, with newlines in strings escaped", async () => {
    const { wire, init, input } = await harness();
    await init();
    input.write(request(7, "tools/call", { name: "echo", arguments: { text: "a\nb\r\nc" } }));
    expect((await wire.response(7)).result).toEqual({ content: [{ type: "text", text: "a\nb\r\nc" }] });
    expect(wire.raw).toEqual([]);
  });

  it("rejects a maxLineBytes that is not a positive whole number", async () => {
    const { server } = testServer();
    for (const maxLineBytes of [0, -1, 1.5, Number.NaN]) {
      const error = await rejection(serveStdio(server, { maxLineBytes, input: new PassThrough() }));
      expect(error.code).toBe("FMCP_ERR_OPTION_INVALID");
    }
    expect(server.sessions.size).toBe(0);
  });
});

describe("stdio transport: errors", () => {
  it("answers invalid JSON with -32700 and id null, then keeps answering", async () => {
    const { wire, init, input } = await harness();
    await init();
    input.write('{"jsonrpc":"2.0","id":8,\n');
    expect((await wire.response(null)).error).toMatchObject({
      code: -32700,
      data: { reason: "parse-error" },
    });
    input.write(request(9, "ping"));
    expect((await wire.response(9)).result).toEqual({});
  });

  it("answers an invalid message with -32600, using its id when it can be read", async () => {
    const { wire, input } = await harness();
    input.write(line({ jsonrpc: "1.0", id: 10, method: "ping" }));
    expect((await wire.response(10)).error).toMatchObject({ code: -32600 });
    input.write(line({ jsonrpc: "2.0", id: null, method: "ping" }));
    expect((await wire.response(null)).error).toMatchObject({ code: -32600 });
  });

  it("answers a batch with -32600 and id null", async () => {
    const { wire, input } = await harness();
    input.write(line([{ jsonrpc: "2.0", id: 11, method: "ping" }]));
    expect((await wire.response(null)).error).toMatchObject({
      code: -32600,
      data: { reason: "batch-not-supported" },
    });
    expect(wire.messages).toHaveLength(1);
  });

  it("closes without crashing when the output fails", async () => {
    const output = new PassThrough();
    const { transport, server, input } = await harness({ output });
    output.destroy(new Error("EPIPE"));
    input.write(request(12, "ping"));
    await transport.closed;
    expect(server.sessions.size).toBe(0);
  });
});

describe("stdio transport: concurrency and progress", () => {
  it("does not wait for a slow request before reading the next line", async () => {
    const { wire, init, input, gate } = await harness();
    await init();
    input.write(request(13, "tools/call", { name: "wait" }) + request(14, "ping"));
    expect((await wire.response(14)).result).toEqual({});
    expect(wire.messages.some((m) => m.id === 13)).toBe(false);
    gate.resolve();
    expect((await wire.response(13)).result).toEqual({ content: [{ type: "text", text: "released" }] });
  });

  it("writes notifications/progress lines before the response", async () => {
    const { wire, init, input } = await harness();
    await init();
    input.write(request(15, "tools/call", { name: "steps", _meta: { progressToken: "tok" } }));
    // The response follows progress, so it waits for the answer to a ping (the progress barrier).
    const ping = await wire.waitFor((m) => m.method === "ping");
    input.write(line({ jsonrpc: "2.0", id: ping.id, result: {} }));
    await wire.response(15);
    const ofCall = wire.messages.filter(
      (m) => m.id === 15 || m.params?.progressToken === "tok" || m === ping,
    );
    expect(ofCall.map((m) => m.params?.progress ?? m.method ?? "response")).toEqual([
      0,
      1,
      2,
      "ping",
      "response",
    ]);
  });

  it("stops reading while the output is backed up and resumes when it drains", async () => {
    const output = new PassThrough({ highWaterMark: 1 });
    const { input } = await harness({ output });
    const paused = once(input, "pause");
    input.write(request(16, "ping"));
    // The answer to 16 filled the output, so the transport paused its input: 17 stays unread.
    await paused;
    input.write(request(17, "ping"));
    const first = output.read() as Buffer;
    expect(JSON.parse(first.toString())).toMatchObject({ id: 16 });
    expect(output.read()).toBeNull();
    // Reading drained the output, so the second line is read and answered now.
    const wire = collect(output);
    expect((await wire.response(17)).result).toEqual({});
  });
});

describe("stdio transport: lifecycle", () => {
  it("on end of input, answers the requests in flight and then ends the session", async () => {
    const { wire, init, input, transport, server, gate } = await harness();
    await init();
    input.end(request(18, "tools/call", { name: "wait" }) + request(19, "ping"));
    await wire.response(19);
    expect(server.sessions.size).toBe(1);
    gate.resolve();
    await transport.closed;
    expect((await wire.response(18)).result).toMatchObject({ content: [{ text: "released" }] });
    expect(server.sessions.size).toBe(0);
  });

  it("ends the session when the input is destroyed without ending", async () => {
    const { input, transport, server } = await harness();
    input.destroy();
    await transport.closed;
    expect(server.sessions.size).toBe(0);
  });

  it("handles a last line that has no newline at end of input", async () => {
    const { wire, input, transport } = await harness();
    input.end(request(20, "ping").trimEnd());
    expect((await wire.response(20)).result).toEqual({});
    await transport.closed;
  });

  it("close() aborts requests in flight without answering them and stops reading", async () => {
    const { wire, init, input, transport, server } = await harness();
    await init();
    input.write(request(21, "tools/call", { name: "wait" }));
    await tick();
    const session = transport.session!;
    expect(session.inflight.size).toBe(1);
    await transport.close();
    expect(session.closed).toBe(true);
    expect(server.sessions.size).toBe(0);
    input.write(request(22, "ping"));
    // Reading a line, answering a ping and writing the answer all run in process.nextTick and
    // promise callbacks, which Node drains before setImmediate: one turn would show an answer.
    await new Promise((resolve) => setImmediate(resolve));
    expect(wire.messages.map((m) => m.id)).toEqual(["init"]);
    await transport.close(); // idempotent
    await transport.start(); // a closed transport stays closed
    expect(server.sessions.size).toBe(0);
  });

  it("opens one session per transport, only when started", async () => {
    const { server } = testServer();
    const transport = new StdioServerTransport({
      server,
      input: new PassThrough(),
      output: new PassThrough(),
    });
    expect(transport.session).toBeUndefined();
    expect(server.sessions.size).toBe(0);
    await transport.start();
    await transport.start();
    expect(server.sessions.size).toBe(1);
    expect(server.sessions.get(transport.session!.id)).toBe(transport.session);
    await transport.close();
    expect(server.sessions.size).toBe(0);
  });
});

describe("stdio transport: examples/stdio-server.ts in a child process", () => {
  const ROOT = join(import.meta.dirname, "..", "..");
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, "SIGKILL");
      }
    }
  });

  function start() {
    const child = spawn(process.execPath, ["--import", "tsx", "examples/stdio-server.ts"], { cwd: ROOT });
    children.push(child);
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, wire: collect(child.stdout), exited, stderr: () => stderr };
  }

  it("speaks MCP over stdin/stdout and exits with code 0 when stdin ends", { timeout: 15_000 }, async () => {
    const { child, wire, exited, stderr } = start();
    const send = (text: string) => child.stdin.write(text);

    send(request(1, "initialize", INIT_PARAMS));
    expect((await wire.response(1)).result).toMatchObject({
      protocolVersion: "2025-11-25",
      serverInfo: { name: "stdio-demo", version: "1.0.0" },
    });
    send(notify("notifications/initialized"));

    send(request(2, "tools/list"));
    const { tools } = (await wire.response(2)).result;
    expect(tools.map((t: Message) => t.name)).toEqual(["echo", "count"]);

    send(request(3, "tools/call", { name: "count", arguments: { to: 3 }, _meta: { progressToken: "p" } }));
    const ping = await wire.waitFor((m) => m.method === "ping");
    send(line({ jsonrpc: "2.0", id: ping.id, result: {} }));
    expect((await wire.response(3)).result).toMatchObject({ structuredContent: { counted: 3 } });
    const responseAt = wire.messages.findIndex((m) => m.id === 3);
    const progress = wire.messages.filter((m) => m.method === "notifications/progress");
    expect(progress.length).toBeGreaterThan(0);
    expect(wire.messages.indexOf(progress.at(-1)!)).toBeLessThan(responseAt);
    expect(progress.at(-1)!.params).toEqual({
      progressToken: "p",
      progress: 3,
      total: 3,
      message: "Counted to 3",
    });
    const values = progress.map((m) => m.params.progress as number);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(wire.messages.some((m) => m.method === "notifications/message")).toBe(true);

    send("this is not json\n");
    expect((await wire.response(null)).error).toMatchObject({ code: -32700 });
    send(request(4, "tools/call", { name: "echo", arguments: { text: "still here" } }));
    expect((await wire.response(4)).result).toMatchObject({ content: [{ text: "still here" }] });

    send(request(5, "no/such/method"));
    expect((await wire.response(5)).error).toMatchObject({ code: -32601 });

    send(line([{ jsonrpc: "2.0", id: 6, method: "ping" }]));
    expect((await wire.waitFor((m) => m.id === null && m.error?.code === -32600)).error.data.reason).toBe(
      "batch-not-supported",
    );

    child.stdin.end();
    expect(await exited).toBe(0);
    expect(wire.raw).toEqual([]);
    expect(wire.messages.every((m) => m.jsonrpc === "2.0")).toBe(true);
    expect(stderr()).toContain("stdio-demo");
  });
});
