/**
 * Measures the heap that 60 finished tasks of one owner pin, each called with 1 MiB of arguments:
 * echoed back as the result (so every stored result is about 2 MiB of JSON) in process and over
 * Streamable HTTP, and returned as a 1 MiB string in process. Run with
 * `node --expose-gc --import tsx <this file>`; prints one JSON line
 * `{ inProcessMiB, httpMiB, stringsMiB }` (heap growth after a full GC, in MiB).
 */
import { FastestMCP } from "../../../src/fastestmcp.js";

const MIB = 1024 * 1024;
const TASKS = 60;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

function echoServer(): FastestMCP {
  return FastestMCP.server("heap")
    .addTool("echo", (args) => args, { task: true })
    .addTool("shout", ({ blob }) => String(blob).toUpperCase(), { task: true });
}

const blob = (i: number) => "x".repeat(MIB) + i;

async function inProcess(tool: string): Promise<number> {
  const server = echoServer();
  const before = heapAfterGc();
  for (let i = 0; i < TASKS; i++) {
    const task = await server.callTool(tool, { blob: blob(i) }, { task: true });
    await server.awaitTask(task);
  }
  const grown = heapAfterGc() - before;
  await server.close();
  return grown;
}

async function overHttp(): Promise<number> {
  const server = echoServer();
  const handle = await server.listen({ keepAliveMs: 0 });
  let sessionId = "";
  let id = 0;
  const post = async (method: string, params: Record<string, unknown>) => {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json",
      "mcp-protocol-version": "2025-11-25",
    };
    if (sessionId !== "") headers["mcp-session-id"] = sessionId;
    const response = await fetch(handle.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    });
    sessionId ||= response.headers.get("mcp-session-id") ?? "";
    return (await response.json()) as { result?: { task?: { taskId: string } } };
  };
  await post("initialize", {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "heap", version: "1.0.0" },
  });
  const before = heapAfterGc();
  for (let i = 0; i < TASKS; i++) {
    const created = await post("tools/call", { name: "echo", arguments: { blob: blob(i) }, task: {} });
    const taskId = created.result?.task?.taskId;
    if (taskId === undefined) throw new Error(`no task: ${JSON.stringify(created)}`);
    await post("tasks/result", { taskId });
  }
  const grown = heapAfterGc() - before;
  await handle.close();
  await server.close();
  return grown;
}

const inProcessMiB = (await inProcess("echo")) / MIB;
const httpMiB = (await overHttp()) / MIB;
const stringsMiB = (await inProcess("shout")) / MIB;
process.stdout.write(`${JSON.stringify({ inProcessMiB, httpMiB, stringsMiB })}\n`);
