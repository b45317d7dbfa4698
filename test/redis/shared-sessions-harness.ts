/**
 * Several server instances in one process, each with its own `listen({ port: 0 })` and its own
 * `redisBackend` on one Redis and prefix, as a load balancer without sticky sessions sees them;
 * plus raw MCP requests aimed at one instance, and a `fetch` that sends each request to the next.
 */
import { FastestMCP } from "../../src/fastestmcp.js";
import { redisBackend } from "../../src/redis.js";
import type { ServerOptions } from "../../src/server/server-options.js";
import { parseSseText, SseReader } from "../transports/http/sse-reader.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC messages read in assertions
export type Message = Record<string, any>;

/** What the tools of every instance report to the test. */
export interface Probe {
  /** `wait` calls whose signal aborted, as `<instance>:<reason>`. */
  aborted: string[];
  /** Releases the `gated` tasks. */
  release(): void;
  /** Resolves once a `wait` call is running, with the instance running it. */
  waiting: Promise<string>;
}

export interface Cluster {
  urls: string[];
  servers: FastestMCP[];
  probe: Probe;
  close(): Promise<void>;
}

/** `count` instances sharing `prefix` on `redisUrl`, each with the same tools. */
export async function startCluster(
  redisUrl: string,
  prefix: string,
  count = 3,
  listenOptions: Record<string, unknown> = {},
  serverOptions: ServerOptions = {},
): Promise<Cluster> {
  let release = (): void => undefined;
  let gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let onWaiting: (name: string) => void = () => undefined;
  const probe: Probe = {
    aborted: [],
    release: () => {
      release();
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    waiting: new Promise<string>((resolve) => {
      onWaiting = resolve;
    }),
  };
  const servers: FastestMCP[] = [];
  const handles: Array<{ url: string; close(): Promise<void> }> = [];
  for (let i = 0; i < count; i++) {
    const name = String.fromCharCode(65 + i);
    const server = FastestMCP.server(`shared-${name}`, {
      backend: redisBackend({ url: redisUrl, prefix }),
      // Every step is sent: the tests count them.
      progressIntervalMs: 0,
      ...serverOptions,
    })
      .addTool("whoami", () => name)
      .addTool("steps", async ({ n }, ctx) => {
        const steps = Number(n ?? 3);
        for (let step = 1; step <= steps; step++) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          await ctx.reportProgress(step, steps, `step ${step} on ${name}`);
        }
        return `done on ${name}`;
      })
      .addTool("log", async (_args, ctx) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        ctx.log.debug("a debug line");
        ctx.log.error("an error line");
        return name;
      })
      .addTool("ask", async (_args, ctx) => {
        const answer = await ctx.elicit("Your name?", {
          type: "object",
          properties: { name: { type: "string" } },
        });
        return `${String(answer.content?.name)} answered ${name}`;
      })
      .addTool("wait", async (_args, ctx) => {
        onWaiting(name);
        await new Promise<void>((resolve) => {
          ctx.signal.addEventListener("abort", () => resolve(), { once: true });
        });
        probe.aborted.push(`${name}:${String((ctx.signal.reason as Error)?.message)}`);
        return "aborted";
      })
      .addTool(
        "gated",
        async () => {
          await gate;
          return `gated on ${name}`;
        },
        { task: true },
      );
    servers.push(server);
    handles.push(await server.listen({ port: 0, ...listenOptions }));
  }
  return {
    urls: handles.map((handle) => handle.url),
    servers,
    probe,
    async close() {
      await Promise.all(handles.map((handle) => handle.close()));
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

export const HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-11-25",
};

/** POSTs one JSON-RPC message to `url` on session `sessionId`. */
export function post(
  url: string,
  body: unknown,
  sessionId?: string,
  signal?: AbortSignal,
  extra: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...HEADERS, ...extra };
  if (sessionId !== undefined) headers["mcp-session-id"] = sessionId;
  return fetch(url, { method: "POST", headers, body: JSON.stringify(body), signal });
}

/** Opens a GET stream on `url` (from `lastEventId`, if given). */
export async function openGet(url: string, sessionId: string, lastEventId?: string): Promise<Response> {
  const headers: Record<string, string> = {
    accept: "text/event-stream",
    "mcp-session-id": sessionId,
    "mcp-protocol-version": "2025-11-25",
  };
  if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
  return fetch(url, { headers });
}

/** The JSON-RPC messages of a finished answer, JSON or SSE. */
export async function messagesOf(response: Response): Promise<Message[]> {
  const text = await response.text();
  if (response.headers.get("content-type")?.startsWith("application/json")) return [JSON.parse(text)];
  return parseSseText(text)
    .filter((event) => event.data !== "")
    .map((event) => JSON.parse(event.data));
}

/** initialize on `url` (and notifications/initialized); resolves with the session id. */
export async function initialize(
  url: string,
  capabilities: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await post(
    url,
    {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities, clientInfo: { name: "test", version: "1" } },
    },
    undefined,
    undefined,
    headers,
  );
  if (response.status !== 200) throw new Error(`initialize: ${response.status} ${await response.text()}`);
  const id = response.headers.get("mcp-session-id") as string;
  await response.text();
  const initialized = await post(
    url,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    id,
    undefined,
    headers,
  );
  await initialized.text();
  return id;
}

let nextId = 1;

/** A request with a fresh id. */
export function request(method: string, params: Record<string, unknown> = {}): Message {
  return { jsonrpc: "2.0", id: nextId++, method, params };
}

/** A `fetch` that sends each request to the next of `urls` in turn (and records where). */
export function roundRobin(urls: string[]): { fetch: typeof fetch; sentTo: string[] } {
  const sentTo: string[] = [];
  let next = 0;
  const roundRobinFetch = ((_input: string | URL | Request, init?: RequestInit) => {
    const url = urls[next++ % urls.length] as string;
    sentTo.push(url);
    return fetch(url, init);
  }) as typeof fetch;
  return { fetch: roundRobinFetch, sentTo };
}

export { SseReader };
