/**
 * Interop: the official MCP TypeScript SDK's clients, v1 (`@modelcontextprotocol/sdk`) and v2
 * (`@modelcontextprotocol/client`), against a FastestMCP server in a child process over stdio.
 *
 * Both SDKs read every message of one stdout chunk in a synchronous loop, handle a response at
 * once (forgetting the call's progress token) and progress one microtask later. A response that
 * reaches them in the same chunk as the call's last progress update loses that update and fires
 * `onerror` ("unknown token"). These tests make many calls and require every update of every call.
 */
import { join } from "node:path";
import { Client as ClientV2, type Progress as ProgressV2 } from "@modelcontextprotocol/client";
import { StdioClientTransport as StdioClientTransportV2 } from "@modelcontextprotocol/client/stdio";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as StdioClientTransportV1 } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CallToolResultSchema, type Progress as ProgressV1 } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it, vi } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const SERVER = {
  command: process.execPath,
  args: ["--import", "tsx", "test/interop/stdio-progress-server.ts"],
  cwd: ROOT,
};
const CALLS = 200;
const STEPS = 3;

type Progress = ProgressV1 | ProgressV2;

/** What a test needs of either SDK's client. */
interface SdkClient {
  /** Calls `tool` with `count` steps and resolves with its text, recording every progress update. */
  call(tool: Tool, count: number, onprogress: (progress: Progress) => void): Promise<string>;
  /** Everything the SDK reported through `onerror`. */
  errors: Error[];
  close(): Promise<void>;
}

const open: SdkClient[] = [];
afterEach(async () => {
  // Closing the client ends the child's stdin; the SDK kills it if it does not exit.
  await Promise.all(open.splice(0).map((client) => client.close()));
});

function textOf(result: Record<string, unknown>): string {
  const [first] = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return first?.type === "text" ? String(first.text) : JSON.stringify(result);
}

async function connectV1(): Promise<SdkClient & { client: ClientV1 }> {
  const client = new ClientV1({ name: "sdk-v1-stdio", version: "1.0.0" });
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  await client.connect(new StdioClientTransportV1({ ...SERVER, stderr: "inherit" }));
  const sdk = {
    client,
    errors,
    call: async (name: Tool, count: number, onprogress: (progress: Progress) => void) =>
      textOf(await client.callTool({ name, arguments: { count } }, CallToolResultSchema, { onprogress })),
    close: () => client.close(),
  };
  open.push(sdk);
  return sdk;
}

async function connectV2(): Promise<SdkClient> {
  const client = new ClientV2({ name: "sdk-v2-stdio", version: "1.0.0" });
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  await client.connect(new StdioClientTransportV2({ ...SERVER, stderr: "inherit" }));
  const sdk: SdkClient = {
    errors,
    call: async (name, count, onprogress) =>
      textOf(await client.callTool({ name, arguments: { count } }, { onprogress })),
    close: () => client.close(),
  };
  open.push(sdk);
  return sdk;
}

const TOOLS = ["sync-steps", "burst-steps", "paced-steps"] as const;
type Tool = (typeof TOOLS)[number] | "task-steps";

const update = (step: number, count: number) => ({
  progress: step,
  total: count,
  message: `step ${step} of ${count}`,
});

/** What the client must see: the synchronous tool's updates coalesce into the last one. */
const expected = (tool: Tool, count: number) =>
  tool === "sync-steps"
    ? [update(count, count)]
    : Array.from({ length: count }, (_, i) => update(i + 1, count));

/** Makes one call and checks its result and that every update arrived, in order. */
async function callAndCheck(client: SdkClient, tool: Tool, count: number): Promise<void> {
  const received: Progress[] = [];
  const text = await client.call(tool, count, (progress) => received.push(progress));
  expect(text).toBe(`did ${count} steps`);
  expect(received).toEqual(expected(tool, count));
}

for (const [version, connect] of [
  ["v1", connectV1],
  ["v2", connectV2],
] as const) {
  describe(`SDK ${version} client over stdio: progress`, () => {
    it(`gets every update of ${CALLS} calls made one after another (sync, burst and paced handlers)`, {
      timeout: 60_000,
    }, async () => {
      const client = await connect();
      for (let i = 0; i < CALLS; i++) {
        await callAndCheck(client, TOOLS[i % TOOLS.length]!, STEPS);
      }
      expect(client.errors).toEqual([]);
    });

    it(`gets every update of ${CALLS} calls made at once`, { timeout: 60_000 }, async () => {
      const client = await connect();
      await Promise.all(
        Array.from({ length: CALLS }, (_, i) => callAndCheck(client, TOOLS[i % TOOLS.length]!, STEPS)),
      );
      expect(client.errors).toEqual([]);
    });

    it("gets every update of a 10,000-step burst", { timeout: 60_000 }, async () => {
      const client = await connect();
      await callAndCheck(client, "burst-steps", 10_000);
      expect(client.errors).toEqual([]);
    });
  });
}

describe("SDK v1 client over stdio: tasks", () => {
  it("streams a task's progress and result while tools/call and tasks/get answers follow progress", {
    timeout: 60_000,
  }, async () => {
    const { client, errors } = await connectV1();
    await client.listTools();
    const progress: Progress[] = [];
    const types: string[] = [];
    let result: unknown;
    for await (const message of client.experimental.tasks.callToolStream(
      { name: "task-steps", arguments: { count: 5 } },
      CallToolResultSchema,
      { task: { ttl: 60_000 }, onprogress: (p) => progress.push(p) },
    )) {
      types.push(message.type);
      if (message.type === "result") result = message.result;
      if (message.type === "error") throw message.error;
    }
    expect(types[0]).toBe("taskCreated");
    expect(types.at(-1)).toBe("result");
    expect(result).toMatchObject({ content: [{ type: "text", text: "did 5 steps" }] });
    // The task keeps its progress token after tools/call answered; the last update may trail the result.
    await vi.waitFor(() => expect(progress).toEqual(expected("task-steps", 5)));
    expect(errors).toEqual([]);
  });
});
