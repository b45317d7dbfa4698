/**
 * Identity over the wire, with real clients: our Client and the official SDK's (v1), each passing
 * a bearer token from the real authorization server's client credentials grant. Covers
 * per-component access (hidden and unknown alike) and tasks owned by the identity, not the session.
 */
import { Client as SdkClient } from "@modelcontextprotocol/sdk/client/index.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../../src/client/client.js";
import { isProtocolError } from "../../src/protocol/protocol-error.js";
import { createDeferred, type Deferred } from "../../src/util/deferred.js";
import { startAuthorizationServer, type TestAuthorizationServer } from "./authorization-server.js";
import { type ProtectedServer, startProtectedServer } from "./protected-server.js";

let as: TestAuthorizationServer;
let mcp: ProtectedServer;
let gate: Deferred<string>;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  as = await startAuthorizationServer();
  mcp = await startProtectedServer(as, (server) => {
    server
      .addTool("whoami", (_args, ctx) => `${ctx.auth?.subject} via ${ctx.auth?.clientId}`)
      .addTool("admin-reset", () => "reset", { requiredScopes: ["admin"] })
      .addTool("alice-only", () => "hello alice", { canAccess: (auth) => auth?.clientId === "alice-app" })
      .addTool("report", () => gate.promise, { task: true })
      .addResource("app://secret", () => "s3cret", { requiredScopes: ["admin"] })
      .addResource("app://public", () => "hello")
      .addPrompt("admin-prompt", () => "do admin things", { requiredScopes: ["admin"] });
  });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  await mcp?.close();
  await as?.close();
});

async function connect(client: "alice" | "bob", scope = "tools:read tools:run"): Promise<Client> {
  const token = await as.token(as.clients[client], mcp.url, scope);
  // tasks/list and tasks/result are 2025-11-25's (2026-07-28 has neither).
  const connected = await Client.connect(mcp.url, {
    protocolVersion: "2025-11-25",
    headers: { authorization: `Bearer ${token}` },
  });
  open.push(connected);
  return connected;
}

/** The JSON-RPC error a request rejects with, without its name-specific parts. */
async function failure(request: Promise<unknown>): Promise<{ code: number; reason: unknown }> {
  try {
    await request;
  } catch (error) {
    if (isProtocolError(error)) return { code: error.code, reason: error.reason };
    throw error;
  }
  throw new Error("the request succeeded");
}

describe("our Client with a bearer token", () => {
  it("calls tools as the token's identity", async () => {
    const client = await connect("alice");
    expect((await client.callTool("whoami")).content).toEqual([
      { type: "text", text: "alice-app via alice-app" },
    ]);
  });

  it("does not list what the identity may not use, and answers a call to it as for an unknown name", async () => {
    const bob = await connect("bob");
    const names = (await bob.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(["whoami", "report"]);
    expect(await failure(bob.callTool("admin-reset"))).toEqual(await failure(bob.callTool("no-such-tool")));
    expect(await failure(bob.callTool("alice-only"))).toEqual({ code: -32602, reason: "tool-not-found" });
    expect((await bob.listResources()).resources.map((resource) => resource.uri)).toEqual(["app://public"]);
    expect(await failure(bob.readResource("app://secret"))).toEqual(
      await failure(bob.readResource("app://nothing")),
    );
    expect((await bob.listPrompts()).prompts).toEqual([]);
    expect(await failure(bob.getPrompt("admin-prompt"))).toEqual(await failure(bob.getPrompt("nope")));
  });

  it("lists and calls what the token's scopes and the component's rule allow", async () => {
    const alice = await connect("alice", "tools:read admin");
    const names = (await alice.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(["whoami", "admin-reset", "alice-only", "report"]);
    expect((await alice.callTool("admin-reset")).content).toEqual([{ type: "text", text: "reset" }]);
    expect((await alice.readResource("app://secret")).contents).toEqual([
      { uri: "app://secret", text: "s3cret" },
    ]);
  });
});

describe("tasks owned by the identity", () => {
  it("are seen by the same identity from a new session, and by no other identity", async () => {
    gate = createDeferred<string>();
    const first = await connect("alice");
    const started = await first.callTool("report", {}, { task: true });
    const taskId = started.taskId;
    // The session that started the task ends; the task is the identity's, so it lives on.
    await first.close();

    const second = await connect("alice");
    expect((await second.listTasks()).tasks.map((task) => task.taskId)).toEqual([taskId]);
    expect((await second.getTask(taskId)).status).toBe("working");

    const bob = await connect("bob");
    expect((await bob.listTasks()).tasks).toEqual([]);
    expect(await failure(bob.getTask(taskId))).toEqual(
      await failure(bob.getTask("00000000-0000-4000-8000-000000000000")),
    );
    expect(await failure(bob.taskResult(taskId))).toEqual(await failure(bob.taskResult("unknown")));

    gate.resolve("done");
    expect((await second.taskResult(taskId)).content).toEqual([{ type: "text", text: "done" }]);
  });
});

describe("a user signed in with the authorization code grant and PKCE", () => {
  async function connectUser(user: string): Promise<Client> {
    const token = await as.userToken(user, mcp.url);
    const connected = await Client.connect(mcp.url, { headers: { authorization: `Bearer ${token}` } });
    open.push(connected);
    return connected;
  }

  it("calls tools as the user through the public client, and only the user sees her tasks", async () => {
    gate = createDeferred<string>();
    const alice = await connectUser("alice");
    expect((await alice.callTool("whoami")).content).toEqual([
      { type: "text", text: "alice via public-cli" },
    ]);
    const started = await alice.callTool("report", {}, { task: true });
    // A new sign-in of the same user through the same client: the same identity.
    const again = await connectUser("alice");
    expect((await again.getTask(started.taskId)).status).toBe("working");
    const carol = await connectUser("carol");
    expect(await failure(carol.getTask(started.taskId))).toEqual({ code: -32602, reason: "task-not-found" });
    gate.resolve("done");
    expect((await again.taskResult(started.taskId)).content).toEqual([{ type: "text", text: "done" }]);
  });
});

describe("the official SDK client (v1) with a bearer token", () => {
  it("connects, lists and calls with requestInit headers", async () => {
    const token = await as.token(as.clients.bob, mcp.url, "tools:read");
    const sdk = new SdkClient({ name: "sdk", version: "1.0.0" });
    await sdk.connect(
      new StreamableHTTPClientTransport(new URL(mcp.url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    open.push(sdk);
    expect((await sdk.listTools()).tools.map((tool) => tool.name)).toEqual(["whoami", "report"]);
    expect((await sdk.callTool({ name: "whoami" })).content).toEqual([
      { type: "text", text: "bob-app via bob-app" },
    ]);
  });

  it("is refused without a token", async () => {
    const sdk = new SdkClient({ name: "sdk", version: "1.0.0" });
    const refused = await sdk
      .connect(new StreamableHTTPClientTransport(new URL(mcp.url)))
      .catch((error) => error);
    expect(refused).toBeInstanceOf(StreamableHTTPError);
    expect((refused as StreamableHTTPError).code).toBe(401);
  });
});
