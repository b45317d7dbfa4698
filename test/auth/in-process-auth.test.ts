/**
 * Identity without a wire: in-process calls take `auth` to act as a user, and the rules that
 * apply over HTTP (component access, identity-owned tasks) apply to them the same way.
 */
import { describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/fastestmcp.js";
import type { AuthInfo } from "../../src/protocol/auth-info.js";
import { isProtocolError } from "../../src/protocol/protocol-error.js";
import { createDeferred } from "../../src/util/deferred.js";

const alice: AuthInfo = {
  subject: "alice",
  clientId: "app",
  issuer: "https://as",
  scopes: ["read"],
  claims: {},
};
const admin: AuthInfo = { ...alice, subject: "root", scopes: ["read", "admin"] };

function server(): FastestMCP {
  return FastestMCP.server("in-process-auth")
    .addTool("whoami", (_args, ctx) => ({ subject: ctx.auth?.subject ?? null, request: ctx.request ?? null }))
    .addTool("wipe", () => "wiped", { requiredScopes: ["admin"] })
    .addTool("roots", () => "ok", { canAccess: (auth) => auth?.subject === "root" })
    .addTool("broken-rule", () => "ok", {
      canAccess: () => {
        throw new Error("rule failed");
      },
    })
    .addResourceTemplate("logs://{day}", (_uri, { day }) => `log of ${day}`, { requiredScopes: ["admin"] })
    .addResourceTemplate("logs://{+anything}", () => "public fallback")
    .addPrompt("audit", () => "audit everything", { requiredScopes: ["admin"] });
}

async function reason(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (isProtocolError(error)) return error.reason;
    throw error;
  }
  return "none";
}

describe("in-process calls with auth", () => {
  it("hand the identity to the handler as ctx.auth; ctx.request is undefined off HTTP", async () => {
    expect(await server().callTool("whoami", {}, { auth: alice })).toEqual({
      subject: "alice",
      request: null,
    });
    expect(await server().callTool("whoami")).toEqual({ subject: null, request: null });
  });

  it("answer a component the identity may not use as an unknown one", async () => {
    const s = server();
    expect(await reason(s.callTool("wipe", {}, { auth: alice }))).toBe("tool-not-found");
    expect(await reason(s.callToolResult("roots", {}, { auth: alice }))).toBe("tool-not-found");
    expect(await reason(s.getPrompt("audit", {}, { auth: alice }))).toBe("prompt-not-found");
    expect(await s.callTool("wipe", {}, { auth: admin })).toBe("wiped");
    expect(await s.callTool("roots", {}, { auth: admin })).toBe("ok");
  });

  it("deny when a canAccess rule throws", async () => {
    expect(await reason(server().callTool("broken-rule", {}, { auth: admin }))).toBe("tool-not-found");
  });

  it("skip a template the identity may not read, so the next matching one serves the URI", async () => {
    const s = server();
    expect((await s.readResource("logs://monday", { auth: admin })).contents[0]).toMatchObject({
      text: "log of monday",
    });
    expect((await s.readResource("logs://monday", { auth: alice })).contents[0]).toMatchObject({
      text: "public fallback",
    });
  });

  it("deny scoped components to a caller without identity (stdio, in-process without auth)", async () => {
    expect(await reason(server().callTool("wipe"))).toBe("tool-not-found");
  });

  it("list what the identity may use; without options the listing is the server's own, complete", () => {
    const s = server();
    expect(s.listTools({ auth: alice }).map((tool) => tool.name)).toEqual(["whoami"]);
    expect(s.listTools({ auth: admin }).map((tool) => tool.name)).toEqual(["whoami", "wipe", "roots"]);
    expect(s.listTools().map((tool) => tool.name)).toEqual(["whoami", "wipe", "roots", "broken-rule"]);
    expect(s.listResourceTemplates({ auth: alice }).map((t) => t.uriTemplate)).toEqual([
      "logs://{+anything}",
    ]);
    expect(s.listPrompts({ auth: alice })).toEqual([]);
  });

  it("own tasks by the identity: another identity gets the answer of an unknown task", async () => {
    const gate = createDeferred<string>();
    const s = FastestMCP.server("tasks").addTool("job", () => gate.promise, { task: true });
    const task = await s.callTool("job", {}, { task: true, auth: alice });
    expect((await s.listTasks({ auth: alice })).tasks.map((t) => t.taskId)).toEqual([task.taskId]);
    expect((await s.listTasks({ auth: admin })).tasks).toEqual([]);
    expect(await reason(s.fetchTask(task, { auth: admin }))).toBe(
      await reason(s.fetchTask("unknown", { auth: admin })),
    );
    gate.resolve("finished");
    expect(await s.awaitTask(task, undefined, { auth: alice })).toBe("finished");
    await s.close();
  });
});
