import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { formatLogLine } from "../../src/util/diagnostics.js";

const ROOT = join(import.meta.dirname, "..", "..");
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill();
});

/** The lines a stream produces, as a queue to await one at a time. */
function lines(stream: NodeJS.ReadableStream) {
  const queue: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: stream }).on("line", (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else queue.push(line);
  });
  return {
    all: queue,
    next: () =>
      new Promise<string>((resolve) => {
        const line = queue.shift();
        if (line !== undefined) resolve(line);
        else waiting.push(resolve);
      }),
  };
}

describe("the default logger", () => {
  it("writes one line per event on stderr, with no stack, for a client's broken request and for an unexpected error", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/server/default-logger-child.ts"], {
      cwd: ROOT,
    });
    children.push(child);
    const stdout = lines(child.stdout);
    const stderr = lines(child.stderr);
    const port = Number(await stdout.next());
    const url = `http://127.0.0.1:${port}/mcp`;
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const init = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      }),
    });
    const session = init.headers.get("mcp-session-id") as string;

    // An unexpected error in a handler: its name and message, on one line.
    const read = await fetch(url, {
      method: "POST",
      headers: { ...headers, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "resources/read",
        params: { uri: "file:///boom" },
      }),
    });
    expect(await read.json()).toMatchObject({ error: { code: -32603 } });
    expect(await stderr.next()).toBe(
      "[fastestmcp] request failed (method=resources/read): TypeError: boom\\nnot a second log line",
    );

    // A client that breaks off its body: a warning, without a stack.
    const socket = connect(port, "127.0.0.1");
    socket.write(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: 1000\r\n\r\n{"jsonrpc"`,
    );
    socket.on("error", () => undefined);
    socket.end();
    expect(await stderr.next()).toBe(
      "[fastestmcp] could not read a request body: Error: aborted (ECONNRESET)",
    );
    socket.destroy();

    const exited = new Promise((resolve) => child.once("close", resolve));
    child.stdin.end();
    await exited;
    expect(stderr.all).toEqual([]);
  });
});

describe("formatLogLine", () => {
  it("puts details and the error on one line, escapes control characters and caps the length", () => {
    expect(formatLogLine("task sweep failed", { taskId: "t1", error: new RangeError("bad\r\nline") })).toBe(
      "[fastestmcp] task sweep failed (taskId=t1): RangeError: bad\\r\\nline",
    );
    expect(formatLogLine("x", { error: "a string" })).toBe("[fastestmcp] x: a string");
    const long = formatLogLine("x", { value: "v".repeat(5000) });
    expect(long.length).toBeLessThan(1100);
    expect(long).toMatch(/… \(\d+ characters\)$/);
  });
});
