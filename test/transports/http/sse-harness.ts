import { INITIALIZE, postHeaders } from "./raw-http.js";
import { parseSseText } from "./sse-reader.js";

/** One event parsed from raw SSE text: its id and its JSON message (none for a priming event). */
export interface JsonEvent {
  id: string | undefined;
  message: Record<string, unknown> | undefined;
}

/** The complete events in raw SSE text, comments skipped. */
function parseEvents(text: string): JsonEvent[] {
  return parseSseText(text).map((event) => ({
    id: event.id,
    message: event.data ? JSON.parse(event.data) : undefined,
  }));
}

/** Raw SSE text as it arrives (a subclass appends to `text`), read as events. */
export class SseText {
  text = "";

  get events(): JsonEvent[] {
    return parseEvents(this.text);
  }
}

/** The progress values of the `notifications/progress` events, in order. */
export const progressOf = (events: JsonEvent[]) =>
  events
    .filter((e) => e.message?.method === "notifications/progress")
    .map((e) => ((e.message as Record<string, unknown>).params as { progress: number }).progress);

/** The messages of the `notifications/message` (log) events, in order. */
export const logsOf = (events: JsonEvent[]) =>
  events
    .filter((e) => e.message?.method === "notifications/message")
    .map(
      (e) => ((e.message as Record<string, unknown>).params as { data: { message: string } }).data.message,
    );

export const increasing = (values: number[]) =>
  values.every((v, i) => i === 0 || v > (values[i - 1] as number));

/** One turn of the event loop. */
export const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A tools/call of the `flood` tool, with a progress token. */
export function floodCall(id: number, args: Record<string, unknown>) {
  return {
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "flood", arguments: args, _meta: { progressToken: "p" } },
  };
}

/** An initialized MCP session: its headers, a POST of one message, a GET that resumes a stream. */
export interface McpSession {
  headers: Record<string, string>;
  post(message: unknown): Promise<Response>;
  resume(lastEventId: string): Promise<Response>;
}

/**
 * Initializes a session at `url` through `send` (a fetchHandler, or fetch itself for a server
 * on a real port) and returns what speaks in it.
 */
export async function openSession(
  send: (request: Request) => Promise<Response>,
  url = "http://127.0.0.1/mcp",
): Promise<McpSession> {
  const post = (headers: Record<string, string>, message: unknown) =>
    send(new Request(url, { method: "POST", headers, body: JSON.stringify(message) }));
  const init = await post(postHeaders(), { ...INITIALIZE, id: 0 });
  const headers = postHeaders({ "mcp-session-id": init.headers.get("mcp-session-id") as string });
  await post(headers, { jsonrpc: "2.0", method: "notifications/initialized" });
  return {
    headers,
    post: (message) => post(headers, message),
    resume: (lastEventId) =>
      send(
        new Request(url, {
          method: "GET",
          headers: { ...headers, accept: "text/event-stream", "last-event-id": lastEventId },
        }),
      ),
  };
}
