/**
 * Benchmark target: the official MCP SDK v1, stateful, in the documented Express-free pattern:
 * one `McpServer` + `StreamableHTTPServerTransport` per session (session ids from `randomUUID`),
 * a Map of transports by session id, POST/GET/DELETE on plain node:http. Default options unless
 * `--json-response` (→ `enableJsonResponse: true`). Tools: `echo`, `progress`, `slow`.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { announce } from "./control.js";

const { values } = parseArgs({ options: { "json-response": { type: "boolean", default: false } } });
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function createMcpServer(): McpServer {
  const server = new McpServer({ name: "bench-sdk", version: "1.0.0" });
  server.registerTool("echo", { inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: "text", text }],
  }));
  server.registerTool(
    "progress",
    { inputSchema: { steps: z.number().int().positive() } },
    async ({ steps }, extra) => {
      const progressToken = extra._meta?.progressToken;
      for (let step = 1; step <= steps; step++) {
        if (progressToken === undefined) continue;
        await extra.sendNotification({
          method: "notifications/progress",
          params: { progressToken, progress: step, total: steps },
        });
      }
      return { content: [{ type: "text", text: "done" }] };
    },
  );
  server.registerTool(
    "slow",
    { inputSchema: { steps: z.number().int().positive(), delayMs: z.number().min(0) } },
    async ({ steps, delayMs }, extra) => {
      const progressToken = extra._meta?.progressToken;
      for (let step = 1; step <= steps; step++) {
        await delay(delayMs);
        if (progressToken === undefined) continue;
        await extra.sendNotification({
          method: "notifications/progress",
          params: { progressToken, progress: step, total: steps },
        });
      }
      return { content: [{ type: "text", text: "done" }] };
    },
  );
  return server;
}

const transports = new Map<string, StreamableHTTPServerTransport>();

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error("body too large"));
      else chunks.push(chunk);
    });
    req.once("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch (error) {
        reject(error);
      }
    });
    req.once("error", reject);
  });
}

function fail(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const header = req.headers["mcp-session-id"];
  const sessionId = Array.isArray(header) ? header[0] : header;
  const existing = sessionId === undefined ? undefined : transports.get(sessionId);
  if (req.method !== "POST") {
    if (existing === undefined) return fail(res, sessionId === undefined ? 400 : 404, "Unknown session");
    return existing.handleRequest(req, res);
  }
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return fail(res, 400, "Parse error");
  }
  if (existing !== undefined) return existing.handleRequest(req, res, body);
  if (sessionId !== undefined) return fail(res, 404, "Session not found");
  if (!isInitializeRequest(body)) return fail(res, 400, "Bad Request: No valid session ID provided");
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    enableJsonResponse: values["json-response"],
    onsessioninitialized: (id) => {
      transports.set(id, transport);
    },
  });
  transport.onclose = () => {
    if (transport.sessionId !== undefined) transports.delete(transport.sessionId);
  };
  await createMcpServer().connect(transport);
  await transport.handleRequest(req, res, body);
}

const http = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error("[bench sdk target]", error);
    if (!res.headersSent) fail(res, 500, "Internal error");
  });
});
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
announce(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
