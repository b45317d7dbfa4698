import { afterEach, describe, expect, it } from "vitest";
import { Client, type ClientOptions, type ProgressEvent } from "../../src/client/index.js";
import { rejection } from "../rejection.js";

// Our client over stdio on both revisions: the server pins the revision per connection, so the
// client's `server/discover` probe decides it (docs/client.md "Revisions").

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function launch(env: Record<string, string> = {}, options: ClientOptions = {}): Promise<Client> {
  const client = await Client.connect(
    {
      command: process.execPath,
      args: ["--import", "tsx", "test/client/fixtures/stdio-revisions-server.ts"],
      env,
      stderr: "ignore",
    },
    options,
  );
  cleanups.push(() => client.close());
  return client;
}

describe("Client over stdio", () => {
  it("speaks 2026-07-28 with our server by default: tools with progress, a task with its numeric progress", async () => {
    const events: ProgressEvent[] = [];
    const client = await launch({}, { progressHandler: (event) => events.push(event) });
    expect(client.protocolVersion).toBe("2026-07-28");
    expect(client.serverInfo?.name).toBe("stdio-revisions");
    expect(await client.callTool("count", { to: 2 })).toEqual({
      content: [{ type: "text", text: '{"counted":2}' }],
      structuredContent: { counted: 2 },
    });
    expect(events.at(-1)).toMatchObject({ progress: 2, total: 2, message: "counted 2" });
    const task = await client.callTool("job", {}, { task: true });
    expect(await task.result()).toEqual({ content: [{ type: "text", text: "job done" }] });
    expect(events.filter((e) => e.taskId === task.taskId).map((e) => [e.progress, e.total])).toEqual([
      [1, 2],
    ]);
  }, 20_000);

  it("gets every progress update of every call, in order, before its result (one at a time and 50 at once)", async () => {
    const client = await launch();
    expect(client.protocolVersion).toBe("2026-07-28");
    const callWithProgress = async (): Promise<number[]> => {
      const seen: number[] = [];
      const result = await client.callTool(
        "steps",
        { count: 3 },
        { onProgress: (event) => seen.push(event.progress) },
      );
      expect(result).toMatchObject({ content: [{ text: "did 3" }] });
      return seen;
    };
    for (let i = 0; i < 20; i++) expect(await callWithProgress()).toEqual([1, 2, 3]);
    const together = await Promise.all(Array.from({ length: 50 }, callWithProgress));
    expect(together).toEqual(Array.from({ length: 50 }, () => [1, 2, 3]));
  }, 20_000);

  it("cancels a call with notifications/cancelled (stdio has no request to close)", async () => {
    const client = await launch();
    const controller = new AbortController();
    const call = client.callTool("hang", {}, { signal: controller.signal });
    controller.abort();
    expect(await rejection(call)).toMatchObject({ name: "CancelledError" });
    expect(await client.callTool("echo", { text: "still here" })).toMatchObject({
      content: [{ text: "still here" }],
    });
  }, 20_000);

  it("falls back to initialize against a stdio server that serves only the 2025 revisions", async () => {
    const client = await launch({ PROTOCOL_VERSIONS: "2025-11-25" });
    expect(client.protocolVersion).toBe("2025-11-25");
    expect(await client.callTool("echo", { text: "legacy" })).toEqual({
      content: [{ type: "text", text: "legacy" }],
    });
  }, 20_000);

  it("pinned to 2025-11-25 it initializes at once", async () => {
    const client = await launch({}, { protocolVersion: "2025-11-25" });
    expect(client.protocolVersion).toBe("2025-11-25");
    const task = await client.callTool("job", {}, { task: true });
    expect(await task.result()).toMatchObject({ content: [{ type: "text", text: "job done" }] });
  }, 20_000);
});
