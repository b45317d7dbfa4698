import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../../src/client/index.js";
import { openSession, SseText } from "../transports/http/sse-harness.js";

// The fetch front, served by Bun and by Deno themselves (both devDependencies: npm installs their
// binaries), is called from here over real HTTP: what docs/runtimes.md promises, run for real.

const ROOT = join(import.meta.dirname, "..", "..");
const SERVER = join("test", "runtimes", "fetch-server.ts");
const BIN = join(ROOT, "node_modules", ".bin");
const BUN = [join(BIN, "bun"), SERVER];
// --sloppy-imports: the source imports "./x.js" for "./x.ts", as tsc wants; Bun maps it by itself.
const DENO = [
  join(BIN, "deno"),
  "run",
  "--allow-net=127.0.0.1",
  "--allow-read",
  "--allow-env",
  "--sloppy-imports",
];
const DENO_FLAGS = ["--no-lock", "--quiet"];
// What Workers forbid: code from strings (V8's own switch, as workerd sets it)...
const NO_CODEGEN = "--v8-flags=--disallow-code-generation-from-strings";

interface Row {
  runtime: "bun" | "deno";
  command: string[];
  /** What the default validator (Ajv) does with a raw JSON Schema there. */
  defaultValidator: RegExp;
  /** What the root entry's listen() (node:http) does there. */
  rootListen: RegExp;
}
const OK = /^ok$/;

const ROWS: Record<string, Row> = {
  bun: { runtime: "bun", command: BUN, defaultValidator: OK, rootListen: OK },
  deno: { runtime: "deno", command: [...DENO, ...DENO_FLAGS, SERVER], defaultValidator: OK, rootListen: OK },
  "deno without code generation, JSON Schemas by @cfworker/json-schema": {
    runtime: "deno",
    command: [...DENO, NO_CODEGEN, ...DENO_FLAGS, SERVER, "--cfworker"],
    defaultValidator: /^FMCP_ERR_RUNTIME_UNSUPPORTED: .*forbids code generation: pass the compileJsonSchema/,
    rootListen: OK,
  },
  // ...and Node's globals, which Bun and Deno add to the web platform: this is how Workers look.
  "deno without Node globals or code generation (as on Workers), JSON Schemas by @cfworker/json-schema": {
    runtime: "deno",
    command: [...DENO, NO_CODEGEN, ...DENO_FLAGS, SERVER, "--cfworker", "--no-node-globals"],
    defaultValidator:
      /^FMCP_ERR_RUNTIME_UNSUPPORTED: .*\(it has no Node built-ins\): pass the compileJsonSchema/,
    rootListen: /^FMCP_ERR_RUNTIME_UNSUPPORTED: listen\(\) needs node:http/,
  },
};
const STEPS = 5;

interface Started {
  url: string;
  runtime: string;
  version: string;
  defaultValidator: string;
  rootListen: string;
}

describe.each(Object.keys(ROWS))("the fetch front under %s", (name) => {
  const row = ROWS[name] as Row;
  let child: ChildProcess;
  let started: Started;
  let stderr = "";

  beforeAll(async () => {
    const [command, ...args] = row.command as [string, ...string[]];
    child = spawn(command, args, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const exited = once(child, "exit").then(([code]) => {
      throw new Error(`${name} exited (code ${code}) before listening: ${stderr}`);
    });
    const [line] = (await Promise.race([once(lines, "line"), exited])) as [string];
    started = JSON.parse(line);
  }, 30_000);

  afterAll(async () => {
    if (child.exitCode !== null) return;
    const exited = once(child, "exit");
    child.stdin?.end(); // the server closes itself, then its HTTP server
    const [code] = await exited;
    expect(code, stderr).toBe(0);
  });

  it("runs in that runtime, where the default JSON Schema validator works or says what to do", () => {
    expect(started.runtime).toBe(row.runtime);
    expect(started.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(started.defaultValidator).toMatch(row.defaultValidator);
  });

  it("loads the root entry there too, whose listen() works where node:http does or says what to do", () => {
    expect(started.rootListen).toMatch(row.rootListen);
  });

  it("streams every progress notification of a tool call over SSE, then the result", async () => {
    const session = await openSession(fetch, started.url);
    const response = await session.post({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "count", arguments: { steps: STEPS }, _meta: { progressToken: "tok" } },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const sse = new SseText();
    sse.text = await response.text(); // the stream ends after the response
    const messages = sse.events.flatMap((event) => (event.message === undefined ? [] : [event.message]));
    expect(messages).toEqual([
      ...Array.from({ length: STEPS }, (_, i) => ({
        jsonrpc: "2.0",
        method: "notifications/progress",
        params: { progressToken: "tok", progress: i + 1, total: STEPS, message: `step ${i + 1}` },
      })),
      {
        jsonrpc: "2.0",
        id: 7,
        result: {
          content: [{ type: "text", text: JSON.stringify({ counted: STEPS, runtime: row.runtime }) }],
          structuredContent: { counted: STEPS, runtime: row.runtime },
        },
      },
    ]);
  });

  it("serves our Client: progress events, the result, and the validator's errors", async () => {
    const client = await Client.connect(started.url, {
      clientInfo: { name: "runtime-test", version: "1.0.0" },
    });
    try {
      const seen: string[] = [];
      const result = await client.callTool(
        "count",
        { steps: 3 },
        { onProgress: (event) => seen.push(`${event.progress}/${event.total} ${event.message}`) },
      );
      expect(seen).toEqual(["1/3 step 1", "2/3 step 2", "3/3 step 3"]);
      expect(result.structuredContent).toEqual({ counted: 3, runtime: row.runtime });
      const invalid = await client.callTool("count", { steps: 0 });
      expect(invalid.isError).toBe(true);
      // Ajv: "steps: must be >= 1"; @cfworker/json-schema: "steps: 0 is less than 1."
      expect(JSON.stringify(invalid.content)).toMatch(/steps: (must be >= 1|0 is less than 1)/);
    } finally {
      await client.close();
    }
  });
});
