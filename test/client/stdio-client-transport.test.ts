import { Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StdioClientTransport } from "../../src/client/stdio-client-transport.js";
import type { JsonRpcMessage } from "../../src/protocol/jsonrpc.js";
import { createDeferred } from "../../src/util/deferred.js";

// The stdio client against real child processes: batching, line splitting and the MCP stdio
// shutdown sequence (end stdin, then SIGTERM, then SIGKILL).

const transports: StdioClientTransport[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const transport of transports.splice(0)) await transport.close();
});

/** A child running `script`, which writes a `ready` notification once its handlers are in place. */
async function launch(script: string) {
  const ready = createDeferred<void>();
  const messages: JsonRpcMessage[] = [];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["-e", script],
    stderr: "ignore",
    shutdownGraceMs: 100,
  });
  transports.push(transport);
  await transport.start({
    onMessage: (message) => {
      if ("method" in message && message.method === "ready") ready.resolve();
      else messages.push(message);
    },
    onClose: () => undefined,
  });
  await ready.promise;
  return { transport, messages };
}

const READY = `process.stdout.write('{"jsonrpc":"2.0","method":"ready"}\\n');`;

describe("StdioClientTransport", () => {
  it("ends a server that exits on end of input without a signal", async () => {
    const { transport } = await launch(
      `process.stdin.resume(); process.stdin.on("end", () => process.exit(0)); ${READY}`,
    );
    await transport.close();
    expect(transport.exit).toEqual({ code: 0, signal: null });
  });

  it("sends SIGTERM to a server that ignores end of input", async () => {
    const { transport } = await launch(`process.stdin.resume(); setInterval(() => {}, 1000); ${READY}`);
    await transport.close();
    expect(transport.exit).toEqual({ code: null, signal: "SIGTERM" });
  });

  it("sends SIGKILL to a server that ignores end of input and SIGTERM", async () => {
    const { transport } = await launch(
      `process.on("SIGTERM", () => {}); process.stdin.resume(); setInterval(() => {}, 1000); ${READY}`,
    );
    await transport.close();
    expect(transport.exit).toEqual({ code: null, signal: "SIGKILL" });
  });

  it("writes the messages of one tick in one write, in order", async () => {
    // The child answers each chunk it reads with the ids it found, so order and count are visible.
    const { transport, messages } = await launch(`
      let tail = "";
      process.stdin.on("data", (chunk) => {
        const lines = (tail + chunk).split("\\n");
        tail = lines.pop();
        for (const line of lines) {
          const { id } = JSON.parse(line);
          process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id, result: {} }) + "\\n");
        }
      });
      ${READY}`);
    const write = vi.spyOn(Socket.prototype, "write");
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => transport.send({ jsonrpc: "2.0", id: i, method: "ping" })),
    );
    const pings = write.mock.calls.filter(([chunk]) => String(chunk).includes('"method":"ping"'));
    expect(pings).toHaveLength(1);
    while (messages.length < 100) await new Promise((resolve) => setImmediate(resolve));
    expect(messages.map((m) => (m as { id: number }).id)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("reads 20,000 messages that arrive in one chunk, and skips lines that are not JSON-RPC", async () => {
    const { transport, messages } = await launch(`
      let out = "not json\\n\\n";
      for (let i = 0; i < 20000; i++) out += '{"jsonrpc":"2.0","method":"n","params":{"i":' + i + '}}\\r\\n';
      ${READY}
      process.stdout.write(out);
      process.stdin.resume();
      process.stdin.on("end", () => process.exit(0));`);
    while (messages.length < 20_000) await new Promise((resolve) => setImmediate(resolve));
    expect(messages.at(-1)).toEqual({ jsonrpc: "2.0", method: "n", params: { i: 19_999 } });
    await transport.close();
  });

  it("rejects a send once the process has exited", async () => {
    const { transport } = await launch(
      `${READY} process.stdin.resume(); process.stdin.on("end", () => process.exit(0));`,
    );
    await transport.close();
    await expect(transport.send({ jsonrpc: "2.0", method: "x" })).rejects.toMatchObject({
      reason: "transport-closed",
    });
  });
});
