/**
 * One task store for both revisions: a task belongs to its owner (with `auth`, the identity), so a
 * task a 2025-11-25 session started is reachable by the same identity's 2026-07-28 tasks extension
 * requests, and by nobody else (docs/revisions.md, "Who owns what a stateless request creates").
 */
import { describe, expect, it } from "vitest";
import type { FastestMCP } from "../../../src/fastestmcp.js";
import type { AuthInfo } from "../../../src/protocol/auth-info.js";
import type { ServerOptions } from "../../../src/server/server-options.js";
import { post, startTask, tasksServer } from "./task-extension-harness.js";

describe("one store for both revisions", () => {
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

  /** Starts a task over a 2025-11-25 session of the identity `token`; returns its id. */
  async function legacyTask(server: FastestMCP, token: string): Promise<string> {
    const headers = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${token}`,
    };
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
