/**
 * The cluster scenario's client: 2026-07-28 stateless requests (no session: any instance answers
 * any of them) for the tasks extension, and a `subscriptions/listen` stream that watches one task
 * on a chosen instance until it ends. Like lib/mcp-client.ts it is fetch plus `eventsource-parser`,
 * the same code against every variant, so the client's cost is the same for all.
 */
import { createParser } from "eventsource-parser";

const VERSION = "2026-07-28";
const PROGRESS_KEY = "dev.fastestmcp/progress";
const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": VERSION,
  "io.modelcontextprotocol/clientCapabilities": { extensions: { "io.modelcontextprotocol/tasks": {} } },
};
const TERMINAL = new Set(["completed", "failed", "cancelled"]);

function headers(method: string, name: string | undefined): Record<string, string> {
  const all: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": VERSION,
    "mcp-method": method,
  };
  if (name !== undefined) all["mcp-name"] = name;
  return all;
}

function post(
  url: string,
  method: string,
  params: Record<string, unknown>,
  name?: string,
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: headers(method, name),
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { ...params, _meta: ENVELOPE } }),
  });
}

/** Sends one request answered with JSON and returns its result (throws on an error). */
export async function statelessRequest(
  url: string,
  method: string,
  params: Record<string, unknown>,
  name?: string,
): Promise<Record<string, unknown>> {
  const response = await post(url, method, params, name);
  const body = (await response.json()) as { result?: Record<string, unknown>; error?: unknown };
  if (body.result === undefined) throw new Error(`${method}: ${JSON.stringify(body.error ?? body)}`);
  return body.result;
}

/** One `notifications/tasks` the stream delivered: the task's progress then, and when it arrived. */
export interface Notice {
  status: string;
  /** The progress it carried (0 when none yet). */
  current: number;
  /** The handler's moment of that progress step (`@<ns>` in its message); undefined without one. */
  stampNs: bigint | undefined;
  /** When this process read it (`process.hrtime.bigint()`). */
  atNs: bigint;
}

/** What one listen stream saw of its task: when it was acknowledged, then every notice. */
export interface Watched {
  ackAtNs: bigint;
  notices: Notice[];
}

function noticeOf(params: Record<string, unknown>, atNs: bigint): Notice {
  const progress = (params._meta as Record<string, unknown> | undefined)?.[PROGRESS_KEY] as
    | { current?: number; message?: string }
    | undefined;
  const stamp = progress?.message?.match(/@(\d+)$/)?.[1];
  return {
    status: String(params.status),
    current: progress?.current ?? 0,
    stampNs: stamp === undefined ? undefined : BigInt(stamp),
    atNs,
  };
}

/**
 * Opens `subscriptions/listen` for `taskId` on `url` and reads it until a notice says the task is
 * terminal, then closes it (a client leaving). Rejects when the stream ends first.
 */
export async function watchTask(url: string, taskId: string): Promise<Watched> {
  const response = await post(url, "subscriptions/listen", { notifications: { taskIds: [taskId] } });
  if (!response.ok || response.body === null)
    throw new Error(`subscriptions/listen: HTTP ${response.status}`);
  const watched: Watched = { ackAtNs: 0n, notices: [] };
  let ended = false;
  const parser = createParser({
    onEvent: ({ data }) => {
      if (data === "") return; // a priming event
      const atNs = process.hrtime.bigint();
      const message = JSON.parse(data) as { method?: string; params?: Record<string, unknown> };
      if (message.method === "notifications/subscriptions/acknowledged") watched.ackAtNs = atNs;
      else if (message.method === "notifications/tasks" && message.params?.taskId === taskId) {
        const notice = noticeOf(message.params, atNs);
        watched.notices.push(notice);
        if (TERMINAL.has(notice.status)) ended = true;
      }
    },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  while (!ended) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the listen stream of task ${taskId} ended before the task did`);
    parser.feed(decoder.decode(value, { stream: true }));
  }
  await reader.cancel();
  return watched;
}
