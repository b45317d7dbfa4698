/**
 * One task store for both revisions: a task belongs to its owner (with `auth`, the identity), so a
 * task a 2025-11-25 session started is reachable by the same identity's 2026-07-28 tasks extension
 * requests, and by nobody else. Without an identity, a 2026-07-28 task's id is a bearer capability:
 * any anonymous caller holding it reaches the task, and nothing lists it (docs/revisions.md, "Who
 * owns what a stateless request creates").
 */
import { describe, expect, it } from "vitest";
import type { FastestMCP } from "../../../src/fastestmcp.js";
import type { AuthInfo } from "../../../src/protocol/auth-info.js";
import { REVISION_2026_07_28, readEnvelope } from "../../../src/protocol/revisions/2026-07-28.js";
import type { ServerOptions } from "../../../src/server/server-options.js";
import { post, startTask, tasksServer, VERSION, WITH_TASKS } from "./task-extension-harness.js";

const identity = (subject: string): AuthInfo => ({ subject, scopes: [], claims: {} });
const authOptions: ServerOptions = {
  auth: {
    verifyToken: (token) => (token === "ada" || token === "bob" ? identity(token) : undefined),
    resourceMetadata: {
      resource: "http://localhost/mcp",
      authorizationServers: ["https://as.example.com"],
    },
  },
};

/** Starts a task over a 2025-11-25 session (of the identity `token`, else anonymous); returns its id. */
async function legacyTask(server: FastestMCP, token?: string): Promise<string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const init = await server.fetch(
    new Request("http://localhost/mcp", {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "legacy", version: "1" },
        },
      }),
    }),
  );
  const session = init.headers.get("mcp-session-id") as string;
  await init.text();
  const call = await server.fetch(
    new Request("http://localhost/mcp", {
      method: "POST",
      headers: { ...headers, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "gated", arguments: {}, task: {} },
      }),
    }),
  );
  const text = await call.text();
  const json = text.startsWith("{")
    ? text
    : (text.split("\n").find((line) => line.startsWith("data: ")) ?? "").slice(6);
  return JSON.parse(json).result.task.taskId as string;
}

/** A 2026-07-28 request from a caller without an identity (as stdio's are), served in-process. */
async function anonymous(server: FastestMCP, method: string, params: Record<string, unknown>) {
  const _meta = {
    "io.modelcontextprotocol/protocolVersion": VERSION,
    "io.modelcontextprotocol/clientCapabilities": WITH_TASKS,
  };
  const session = server.sessions.openStateless(REVISION_2026_07_28, readEnvelope({ _meta }), {
    send: () => {},
  });
  // biome-ignore lint/suspicious/noExplicitAny: assertions read whatever the answer holds.
  return (await session.handle({ jsonrpc: "2.0", id: 1, method, params: { ...params, _meta } })) as any;
}

describe("one store for both revisions", () => {
  it("reaches a task a 2025-11-25 session started with modern tasks/get and tasks/cancel of the same identity, and hides it from others", async () => {
    const { server, gates } = tasksServer(authOptions);
    const taskId = await legacyTask(server, "ada");
    const got = await post(server, "tasks/get", { taskId }, { token: "ada" });
    expect(got.body.result).toMatchObject({ resultType: "complete", taskId, status: "working" });
    expect(got.body.result).not.toHaveProperty("ttl");
    const other = await post(server, "tasks/get", { taskId }, { token: "bob" });
    expect(other.body.error).toMatchObject({ code: -32602, data: { reason: "task-not-found" } });
    expect((await post(server, "tasks/cancel", { taskId }, { token: "bob" })).body.error.code).toBe(-32602);
    const ack = await post(server, "tasks/cancel", { taskId }, { token: "ada" });
    expect(ack.body.result.resultType).toBe("complete");
    await gates.aborted.promise;
    expect((await post(server, "tasks/get", { taskId }, { token: "ada" })).body.result.status).toBe(
      "cancelled",
    );
  });

  it("keeps a modern task of one identity from another", async () => {
    const { server, gates } = tasksServer(authOptions);
    const taskId = await startTask(server, "gated", "ada");
    expect((await post(server, "tasks/get", { taskId }, { token: "ada" })).body.result.taskId).toBe(taskId);
    expect((await post(server, "tasks/get", { taskId }, { token: "bob" })).body.error.code).toBe(-32602);
    gates.release.resolve();
  });
});

describe("anonymous callers (no auth): a task id is a bearer capability", () => {
  it("lets any anonymous caller holding the id get, update and cancel the task: the id is the only key", async () => {
    const { server, gates } = tasksServer();
    const taskId = await startTask(server, "gated");
    // Another anonymous request (no session, no identity, another connection) holding the id reaches it.
    expect((await anonymous(server, "tasks/get", { taskId })).result).toMatchObject({
      taskId,
      status: "working",
    });
    const update = await post(server, "tasks/update", { taskId, inputResponses: {} });
    expect(update.body.result.resultType).toBe("complete");
    expect((await anonymous(server, "tasks/cancel", { taskId })).result.resultType).toBe("complete");
    await gates.aborted.promise;
    expect((await post(server, "tasks/get", { taskId })).body.result.status).toBe("cancelled");
  });

  it("enumerates nothing: tasks/list does not exist on 2026-07-28, and a guessed id is unknown", async () => {
    const { server, gates } = tasksServer();
    await startTask(server, "gated");
    const list = await post(server, "tasks/list", {});
    expect(list.status).toBe(404);
    expect(list.body.error).toMatchObject({ code: -32601 });
    const guessed = await post(server, "tasks/get", { taskId: "00000000-0000-4000-8000-000000000000" });
    expect(guessed.body.error).toMatchObject({ code: -32602, data: { reason: "task-not-found" } });
    gates.release.resolve();
  });

  it("never reaches an identity's task, and no identity reaches an anonymous one, even with the id", async () => {
    const { server, gates } = tasksServer(authOptions);
    const adas = await startTask(server, "gated", "ada");
    expect((await anonymous(server, "tasks/get", { taskId: adas })).error).toMatchObject({
      code: -32602,
      data: { reason: "task-not-found" },
    });
    const created = await anonymous(server, "tools/call", { name: "instant", arguments: {} });
    expect(created.result.resultType).toBe("task");
    const bobs = await post(server, "tasks/get", { taskId: created.result.taskId }, { token: "bob" });
    expect(bobs.body.error).toMatchObject({ code: -32602, data: { reason: "task-not-found" } });
    gates.release.resolve();
  });

  it("never reaches a task an anonymous 2025-11-25 session started (that session's alone)", async () => {
    const { server, gates } = tasksServer();
    const taskId = await legacyTask(server);
    expect((await post(server, "tasks/get", { taskId })).body.error).toMatchObject({
      code: -32602,
      data: { reason: "task-not-found" },
    });
    gates.release.resolve();
  });
});
