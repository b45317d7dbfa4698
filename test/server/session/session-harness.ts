import type { FastestMCP } from "../../../src/fastestmcp.js";
import type { JsonRpcId, JsonRpcMessage, JsonRpcResponse } from "../../../src/protocol/jsonrpc.js";

/** One message the session sent to its channel. */
export interface SentMessage {
  message: JsonRpcMessage & { method?: string; params?: Record<string, unknown> };
  related: JsonRpcId | undefined;
}

/** A response as the tests read it. */
export type TestResponse = JsonRpcResponse & {
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: Record<string, unknown> };
};

let nextId = 0;

/** A message-level session on `server` (as a transport would open one), with helpers. */
export function openSession(server: FastestMCP) {
  const sent: SentMessage[] = [];
  const session = server.sessions.create({ send: (message, related) => sent.push({ message, related }) });
  const request = async (method: string, params?: Record<string, unknown>, id: JsonRpcId = ++nextId) =>
    (await session.handle({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) })) as TestResponse;
  const notify = (method: string, params?: Record<string, unknown>) =>
    session.handle({ jsonrpc: "2.0", method, ...(params ? { params } : {}) });
  const init = async (protocolVersion = "2025-11-25") => {
    const response = await request("initialize", {
      protocolVersion,
      capabilities: {},
      clientInfo: { name: "test", version: "1" },
    });
    await notify("notifications/initialized");
    return response;
  };
  const notifications = (method: string) => sent.filter((s) => s.message.method === method);
  return { session, sent, request, notify, init, notifications };
}

/** Lets queued microtasks (coalesced notifications) run. */
export const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
