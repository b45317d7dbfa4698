import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { REVISIONS } from "../../../src/protocol/revisions.js";
import { createDeferred } from "../../../src/util/deferred.js";

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server whose `wait` task runs until `gate` resolves. */
function server() {
  const gate = createDeferred<void>();
  const created = FastestMCP.server("owners").addTool(
    "wait",
    async () => {
      await gate.promise;
      return "done";
    },
    { task: true },
  );
  servers.push(created);
  return { server: created, gate };
}

describe("task owners and sessions", () => {
  it("lets one owner hold many sessions, each told about the owner's task status changes", async () => {
    const { server: s, gate } = server();
    const seen: string[] = [];
    const channel = (name: string) => ({ send: () => seen.push(name) });
    const a = s.sessions.create(channel("a"), "alice");
    const b = s.sessions.create(channel("b"), "alice");
    for (const session of [a, b]) session.revision = REVISIONS[0];
    const task = await s.callTool("wait", {}, { task: true, owner: "alice" });
    expect(seen.sort()).toEqual(["a", "b"]);
    gate.resolve();
    expect(await s.awaitTask(task, 5000, { owner: "alice" })).toBe("done");
  });

  it("keeps an identity's unfinished tasks when its session ends: the owner can come back", async () => {
    const { server: s, gate } = server();
    const session = s.sessions.create(undefined, "alice");
    const task = await s.callTool("wait", {}, { task: true, owner: "alice" });
    await s.sessions.end(session.id);
    const again = s.sessions.create(undefined, "alice");
    expect(again.owner).toBe("alice");
    expect((await s.fetchTask(task, { owner: "alice" })).status).toBe("working");
    gate.resolve();
    expect(await s.taskResult(task, { owner: "alice" })).toMatchObject({ content: [{ text: "done" }] });
  });

  it("releases an anonymous session's tasks when it ends: its owner can never come back", async () => {
    const { server: s } = server();
    const session = s.sessions.create();
    expect(session.owner).toBe(session.id);
    const task = await s.callTool("wait", {}, { task: true, owner: session.owner });
    await s.sessions.end(session.id);
    await expect(s.fetchTask(task, { owner: session.owner })).rejects.toMatchObject({
      reason: "task-not-found",
    });
  });
});
