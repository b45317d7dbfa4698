/**
 * The live task dashboard (`listen({ dashboard })`, docs/dashboard.md) without a browser: its
 * event stream, the escaping of what it shows, the auth filter, and its refusals (a remote peer
 * or Host, a cross-site or non-JSON cancel). test/dashboard/dashboard-browser.test.ts drives the
 * page in Chromium.
 */
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { Dashboard } from "../../src/dashboard/dashboard.js";
import { isLoopbackPeer } from "../../src/dashboard/dashboard-options.js";
import { DASHBOARD_SCRIPT } from "../../src/dashboard/dashboard-page.js";
import { isFastestMcpError } from "../../src/errors.js";
import { FastestMCP, type HttpServerHandle } from "../../src/fastestmcp.js";
import type { AuthInfo } from "../../src/protocol/auth-info.js";
import type { HttpExchange } from "../../src/transports/http/exchange.js";
import { listenGuard } from "../../src/transports/http/request-guard.js";
import { createDeferred, type Deferred } from "../../src/util/deferred.js";
import { EventReader, taskOf } from "./event-reader.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const identity = (subject: string): AuthInfo => ({ subject, scopes: [], claims: {} });
const ALICE = identity("alice");
const BOB = identity("bob");

/** A server whose `gated` task reports 1/2, logs, then waits for `gate` before its last step. */
function gatedServer(gate: Deferred<void>, options: ConstructorParameters<typeof FastestMCP>[1] = {}) {
  return FastestMCP.server("dash", options).addTool(
    "gated",
    async ({ message = "halfway" }, ctx) => {
      await ctx.reportProgress(1, 2, String(message));
      ctx.log.info(`logged: ${String(message)}`);
      await Promise.race([
        gate.promise,
        new Promise((_, reject) => ctx.signal.addEventListener("abort", reject)),
      ]);
      await ctx.reportProgress(2, 2, "done");
      return "ok";
    },
    { task: true },
  );
}

async function serve(server: FastestMCP, dashboard: Parameters<FastestMCP["listen"]>[0] = {}) {
  const handle = await server.listen({ keepAliveMs: 0, dashboard: true, ...dashboard });
  cleanups.push(async () => {
    await handle.close();
    await server.close();
  });
  return handle;
}

async function events(handle: HttpServerHandle, headers: Record<string, string> = {}): Promise<EventReader> {
  const response = await fetch(`${handle.dashboardUrl}/events`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const reader = new EventReader(response);
  cleanups.push(() => reader.close());
  return reader;
}

function cancel(handle: HttpServerHandle, taskId: string, headers: Record<string, string> = {}) {
  return fetch(`${handle.dashboardUrl}/cancel`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ taskId }),
  });
}

describe("the dashboard's event stream", () => {
  it("sends a snapshot, then a task's creation, stored progress, log lines and status as they happen", async () => {
    const gate = createDeferred<void>();
    const server = gatedServer(gate);
    const handle = await serve(server);
    expect(handle.dashboardUrl).toBe(`http://127.0.0.1:${handle.port}/dashboard`);
    const stream = await events(handle);
    expect(await stream.find()).toEqual({ type: "snapshot", data: { server: "dash", tasks: [] } });

    const task = await server.callTool("gated", {}, { task: true });
    const mine = (event: { data: Record<string, unknown> }) =>
      (event.data.task as { taskId?: string } | undefined)?.taskId === task.taskId ||
      event.data.taskId === task.taskId;
    const created = await stream.find(mine);
    expect(created.type).toBe("task");
    expect(created.data.change).toBe("created");
    expect(taskOf(created)).toMatchObject({ toolName: "gated", status: "working" });
    expect(taskOf(created)).not.toHaveProperty("owner");
    // Updates within one flush (50 ms) coalesce: the first progress may ride the creation.
    const progress = await stream.find(
      (event) => mine(event) && event.type === "task" && taskOf(event).progress !== undefined,
    );
    expect(taskOf(progress).progress).toMatchObject({ current: 1, total: 2, message: "halfway" });
    const log = await stream.find((event) => mine(event) && event.type === "log");
    expect(log.data.line).toMatchObject({ level: "info", message: "logged: halfway" });

    gate.resolve();
    const finished = await stream.find((event) => mine(event) && event.data.change === "status");
    expect(taskOf(finished)).toMatchObject({ status: "completed", progress: { current: 2, total: 2 } });
  });

  it("gives a new viewer the tasks so far, with their recent log lines", async () => {
    const gate = createDeferred<void>();
    const server = gatedServer(gate);
    const handle = await serve(server);
    const first = await events(handle);
    await first.find();
    const task = await server.callTool("gated", {}, { task: true });
    await first.find((event) => event.type === "log");
    const second = await events(handle);
    const snapshot = await second.find();
    expect(snapshot.type).toBe("snapshot");
    expect(snapshot.data.tasks).toEqual([
      expect.objectContaining({
        taskId: task.taskId,
        status: "working",
        progress: expect.objectContaining({ current: 1, total: 2 }),
        logs: [expect.objectContaining({ message: "logged: halfway" })],
      }),
    ]);
    gate.resolve();
  });

  it("keeps a message with markup and line breaks one event, as data (the page shows it as text)", async () => {
    const gate = createDeferred<void>();
    const server = gatedServer(gate);
    const handle = await serve(server);
    const stream = await events(handle);
    await stream.find();
    const hostile = '<img src=x onerror="alert(1)">\n\nevent: snapshot\ndata: {"tasks":[]}';
    await server.callTool("gated", { message: hostile }, { task: true });
    const progress = await stream.find(
      (event) => event.type === "task" && taskOf(event).progress !== undefined,
    );
    expect((taskOf(progress).progress as { message: string }).message).toBe(hostile);
    const log = await stream.find((event) => event.type === "log");
    expect((log.data.line as { message: string }).message).toBe(`logged: ${hostile}`);
    // No forged snapshot came out of the message.
    expect(stream.events.filter((event) => event.type === "snapshot")).toHaveLength(1);
    gate.resolve();
  });
});

describe("the dashboard page", () => {
  it("is one self-contained document under a CSP that runs only its own script and forbids framing", async () => {
    const handle = await serve(gatedServer(createDeferred()));
    const response = await fetch(handle.dashboardUrl as string);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+';/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html).not.toMatch(/<script[^>]+src=|<link /);
    expect(html.length).toBeLessThan(16_000);
  });

  it("puts what it shows into the DOM as text only, never as HTML", () => {
    expect(DASHBOARD_SCRIPT).toContain("textContent");
    expect(DASHBOARD_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });
});

describe("dashboard access", () => {
  it("with auth: the stream and cancel need the bearer token, and a viewer sees and cancels only its own tasks", async () => {
    const gate = createDeferred<void>();
    const server = gatedServer(gate, {
      auth: {
        verifyToken: (token) => (token === "alice" ? ALICE : token === "bob" ? BOB : undefined),
        resourceMetadata: {
          resource: "http://127.0.0.1/mcp",
          authorizationServers: ["https://as.example.com"],
        },
      },
    });
    const handle = await serve(server);
    const aliceTask = await server.callTool("gated", {}, { task: true, auth: ALICE });
    const bobTask = await server.callTool("gated", {}, { task: true, auth: BOB });

    expect((await fetch(handle.dashboardUrl as string)).status).toBe(200); // the page holds no data
    const anonymous = await fetch(`${handle.dashboardUrl}/events`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect((await cancel(handle, aliceTask.taskId)).status).toBe(401);

    const alice = await events(handle, { authorization: "Bearer alice" });
    const snapshot = await alice.find();
    expect((snapshot.data.tasks as Array<{ taskId: string }>).map((task) => task.taskId)).toEqual([
      aliceTask.taskId,
    ]);
    const refused = await cancel(handle, aliceTask.taskId, { authorization: "Bearer bob" });
    expect(refused.status).toBe(404);
    expect((await server.fetchTask(aliceTask, { auth: ALICE })).status).toBe("working");

    const cancelled = await cancel(handle, bobTask.taskId, { authorization: "Bearer bob" });
    expect(await cancelled.json()).toEqual({ taskId: bobTask.taskId, status: "cancelled" });
    const ownCancel = await cancel(handle, aliceTask.taskId, { authorization: "Bearer alice" });
    expect(ownCancel.status).toBe(200);
    const update = await alice.find((event) => event.data.change === "status");
    // Bob's cancellation never reached Alice's stream: her first status update is her own task's.
    expect(taskOf(update)).toMatchObject({ taskId: aliceTask.taskId, status: "cancelled" });
  });

  it("refuses a Host that is not a loopback name (DNS rebinding)", async () => {
    const handle = await serve(gatedServer(createDeferred()));
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port: handle.port,
          path: "/dashboard",
          headers: { host: `evil.example:${handle.port}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it("refuses a peer that is not this machine unless allowRemote", async () => {
    const server = gatedServer(createDeferred());
    cleanups.push(() => server.close());
    const context = {
      mcpPath: "/mcp",
      endpointGuard: { allowedHosts: ["dash.example"] },
      loopbackGuard: listenGuard("127.0.0.1", 4100),
      logger: server.logger,
    };
    const next = { handle: async () => undefined };
    const answers: number[] = [];
    const exchange = (remoteAddress: string, host: string): HttpExchange => ({
      method: "GET",
      path: "/dashboard",
      remoteAddress,
      header: (name) => (name === "host" ? host : undefined),
      readBody: async () => "",
      respond: (status) => void answers.push(status),
      startSse: () => {
        throw new Error("not a stream");
      },
    });
    const local = new Dashboard(server, {}, context, next);
    const remote = new Dashboard(server, { allowRemote: true }, context, next);
    cleanups.push(async () => {
      local.close();
      remote.close();
    });
    await local.handle(exchange("192.0.2.7", "127.0.0.1:4100"));
    await local.handle(exchange("::ffff:192.0.2.7", "localhost:4100"));
    await local.handle(exchange("::ffff:127.0.0.1", "localhost:4100"));
    await remote.handle(exchange("192.0.2.7", "dash.example"));
    await remote.handle(exchange("192.0.2.7", "evil.example"));
    expect(answers).toEqual([403, 403, 200, 200, 403]);
    expect([isLoopbackPeer("127.0.0.1"), isLoopbackPeer("::1"), isLoopbackPeer("10.0.0.1")]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it("refuses a cross-site cancel (Origin) and a cancel that is not JSON, and cancels a JSON one", async () => {
    const server = gatedServer(createDeferred());
    const handle = await serve(server);
    const task = await server.callTool("gated", {}, { task: true });
    const crossSite = await cancel(handle, task.taskId, { origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    // What a cross-site <form> can send without a CORS preflight: a simple content type.
    const form = await fetch(`${handle.dashboardUrl}/cancel`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: `http://127.0.0.1:${handle.port}` },
      body: JSON.stringify({ taskId: task.taskId }),
    });
    expect(form.status).toBe(415);
    expect((await server.fetchTask(task)).status).toBe("working");
    const sameSite = await cancel(handle, task.taskId, { origin: `http://127.0.0.1:${handle.port}` });
    expect(sameSite.status).toBe(200);
    expect((await server.fetchTask(task)).status).toBe("cancelled");
    expect((await cancel(handle, task.taskId)).status).toBe(409);
    expect((await fetch(`${handle.dashboardUrl}/cancel`)).status).toBe(405);
  });
});

describe("the dashboard option", () => {
  it("serves on a path of your choice and refuses one that would cover the MCP endpoint", async () => {
    const server = gatedServer(createDeferred());
    const handle = await serve(server, { dashboard: { path: "/ops/tasks" } });
    expect(handle.dashboardUrl).toMatch(/\/ops\/tasks$/);
    expect((await fetch(handle.dashboardUrl as string)).status).toBe(200);
    for (const path of ["/mcp", "/", "dashboard", "/tasks/"]) {
      const error = await server.listen({ dashboard: { path } }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(isFastestMcpError(error) && error.code).toBe("FMCP_ERR_OPTION_INVALID");
    }
  });
});
