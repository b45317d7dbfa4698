import { PassThrough, Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/fastestmcp.js";
import { notification } from "../../src/protocol/jsonrpc.js";
import { serveStdio } from "../../src/transports/stdio.js";

const INIT_PARAMS = {
  protocolVersion: "2025-11-25",
  capabilities: {},
  clientInfo: { name: "stdio-writes-test", version: "1.0.0" },
};
type WireMessage = { id?: unknown; method?: string; params?: { progress?: number } };

const line = (message: unknown) => `${JSON.stringify(message)}\n`;

/** An output that records every write call's text. */
function recordingOutput() {
  const writes: string[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString("utf8"));
      callback();
    },
  });
  const lines = () => writes.join("").split("\n").filter(Boolean);
  return { output, writes, lines };
}

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(output: Writable) {
  const server = FastestMCP.server("stdio-writes", { version: "1.0.0", progressIntervalMs: 0 }).addTool(
    "burst",
    async ({ steps }, ctx) => {
      for (let step = 1; step <= Number(steps); step++) await ctx.reportProgress(step, Number(steps));
      return "done";
    },
  );
  servers.push(server);
  const input = new PassThrough();
  const transport = await serveStdio(server, { input, output });
  return { input, transport };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("stdio transport: writes", () => {
  it("joins a burst's lines into a few writes of at most 32 KiB (plus one line), in order, response last", async () => {
    const { output, writes, lines } = recordingOutput();
    const { input } = await start(output);
    const steps = 5000;
    input.write(
      line({ jsonrpc: "2.0", id: 1, method: "initialize", params: INIT_PARAMS }) +
        line({ jsonrpc: "2.0", method: "notifications/initialized" }) +
        line({
          jsonrpc: "2.0",
          id: 2,
          method: "tools/call",
          params: { name: "burst", arguments: { steps }, _meta: { progressToken: "b" } },
        }),
    );
    const answered = new Set<string>();
    while (!lines().some((l) => l.startsWith('{"jsonrpc":"2.0","id":2,'))) {
      // Answer the progress barrier pings, as a client does.
      for (const ping of lines().filter((l) => l.includes('"method":"ping"') && !answered.has(l))) {
        answered.add(ping);
        input.write(line({ jsonrpc: "2.0", id: (JSON.parse(ping) as WireMessage).id, result: {} }));
      }
      await settle();
    }
    const messages = lines().map((l) => JSON.parse(l) as WireMessage);
    expect(messages.filter((m) => m.method === "ping").length).toBeGreaterThan(0);
    const progress = messages.filter((m) => m.method === "notifications/progress");
    expect(progress.map((m) => m.params?.progress)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(messages.at(-1)?.id).toBe(2);
    // The whole burst runs in one tick: more than one write means it left every 32 KiB, mid-tick.
    const burstBytes = writes.join("").length;
    expect(writes.length).toBeGreaterThan(burstBytes / (40 * 1024));
    expect(writes.length).toBeLessThan(steps / 50);
    for (const text of writes) {
      expect(text.endsWith("\n")).toBe(true);
      expect(text.length).toBeLessThan(32 * 1024 + 200);
    }
  });

  it("writes what was sent before close() before `closed` settles", async () => {
    const { output, lines } = recordingOutput();
    const { transport } = await start(output);
    transport.session!.send(notification("notifications/message", { level: "info", data: "bye" }));
    const closed = transport.close();
    expect(lines()).toEqual([
      line(notification("notifications/message", { level: "info", data: "bye" })).trim(),
    ]);
    await closed;
    transport.session!.send(notification("notifications/message", { level: "info", data: "late" }));
    // The output flushes on process.nextTick, which Node drains before setImmediate: one turn
    // would show a line that was accepted.
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines()).toHaveLength(1);
  });
});
