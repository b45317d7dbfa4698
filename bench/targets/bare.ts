/**
 * Benchmark target: the machine's limit. A bare node:http server doing only minimal JSON-RPC:
 * parse the body, check the session header, answer `initialize` and the `echo` tool with a
 * fixed-shape JSON response; `progress` and `slow` stream their notifications as SSE. No
 * validation, no schemas, no replay buffers: what any MCP server has to do at least.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { announce } from "./control.js";

interface Message {
  id?: string | number;
  method?: string;
  params?: { name?: string; arguments?: Record<string, unknown>; _meta?: { progressToken?: unknown } };
}

const JSON_HEADERS = { "content-type": "application/json" };
const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };
const sessions = new Map<string, { createdAt: number }>();

function reply(
  res: ServerResponse,
  id: Message["id"],
  result: unknown,
  headers: Record<string, string> = JSON_HEADERS,
): void {
  res.writeHead(200, headers);
  res.end(JSON.stringify({ jsonrpc: "2.0", id, result }));
}

function sseEvent(message: unknown): string {
  return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}

async function stream(res: ServerResponse, message: Message, steps: number, delayMs: number): Promise<void> {
  res.writeHead(200, SSE_HEADERS);
  const progressToken = message.params?._meta?.progressToken;
  for (let step = 1; step <= steps; step++) {
    if (delayMs > 0) await delay(delayMs);
    if (progressToken === undefined) continue;
    const params = { progressToken, progress: step, total: steps };
    res.write(sseEvent({ jsonrpc: "2.0", method: "notifications/progress", params }));
  }
  res.end(
    sseEvent({ jsonrpc: "2.0", id: message.id, result: { content: [{ type: "text", text: "done" }] } }),
  );
}

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  let message: Message;
  try {
    message = JSON.parse(body) as Message;
  } catch {
    res.writeHead(400, JSON_HEADERS).end();
    return;
  }
  if (message.method === "initialize") {
    const sessionId = randomUUID();
    sessions.set(sessionId, { createdAt: Date.now() });
    const result = {
      protocolVersion: "2025-11-25",
      capabilities: { tools: {} },
      serverInfo: { name: "bench-bare", version: "1.0.0" },
    };
    reply(res, message.id, result, { ...JSON_HEADERS, "mcp-session-id": sessionId });
    return;
  }
  const sessionId = req.headers["mcp-session-id"];
  if (typeof sessionId !== "string" || !sessions.has(sessionId)) {
    res.writeHead(404, JSON_HEADERS).end();
    return;
  }
  if (message.id === undefined) {
    res.writeHead(202).end();
    return;
  }
  const args = message.params?.arguments ?? {};
  switch (message.method === "tools/call" ? message.params?.name : undefined) {
    case "echo":
      reply(res, message.id, { content: [{ type: "text", text: args.text }] });
      return;
    case "progress":
    case "slow":
      stream(res, message, Number(args.steps), Number(args.delayMs ?? 0)).catch(() => res.destroy());
      return;
    default:
      res.writeHead(400, JSON_HEADERS).end();
  }
}

const http = createServer((req, res) => {
  if (req.method === "DELETE") {
    sessions.delete(String(req.headers["mcp-session-id"]));
    res.writeHead(204).end();
    return;
  }
  if (req.method !== "POST") {
    res.writeHead(405).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.once("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")));
});
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
announce(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
