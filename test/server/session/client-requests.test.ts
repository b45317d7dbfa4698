import { afterEach, describe, expect, it } from "vitest";
import { Client, type RemoteTaskState } from "../../../src/client/index.js";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { createDeferred } from "../../../src/util/deferred.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const FORM = {
  type: "object" as const,
  properties: { username: { type: "string" }, email: { type: "string" } },
  required: ["username", "email"],
};

function server() {
  const created = FastestMCP.server("asker", { progressIntervalMs: 0 })
    .addTool(
      "ask",
      async (_args, ctx) => {
        const answer = await ctx.elicit<{ username: string }>("Who are you?", FORM);
        return answer.action === "accept"
          ? `hello ${answer.content.username}`
          : `no answer (${answer.action})`;
      },
      { task: true },
    )
    .addTool("think", async ({ prompt }, ctx) => {
      const reply = await ctx.sample(String(prompt), { maxTokens: 50 });
      return `model ${reply.model} said: ${reply.content.type === "text" ? reply.content.text : "?"}`;
    });
  cleanups.push(() => created.close());
  return created;
}

describe("handlers asking the client, in-process", () => {
  it("elicits through the caller's elicitationHandler", async () => {
    const s = server();
    const seen: Array<Record<string, unknown>> = [];
    const value = await s.callTool(
      "ask",
      {},
      {
        elicitationHandler: (params) => {
          seen.push(params);
          return { action: "accept", content: { username: "ada", email: "ada@example.com" } };
        },
      },
    );
    expect(value).toBe("hello ada");
    expect(seen[0]).toMatchObject({ mode: "form", message: "Who are you?", requestedSchema: FORM });
    await expect(s.callTool("ask", {}, { elicitationHandler: () => ({ action: "decline" }) })).resolves.toBe(
      "no answer (decline)",
    );
  });

  it("samples through the caller's samplingHandler", async () => {
    const s = server();
    const value = await s.callTool(
      "think",
      { prompt: "2+2?" },
      {
        samplingHandler: (params) => {
          expect(params).toMatchObject({
            maxTokens: 50,
            messages: [{ role: "user", content: { type: "text", text: "2+2?" } }],
          });
          return { role: "assistant", content: { type: "text", text: "4" }, model: "tiny" };
        },
      },
    );
    expect(value).toBe("model tiny said: 4");
  });

  it("fails with a clear error when nobody can answer", async () => {
    const s = server();
    const result = await s.callToolResult("ask");
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('did not declare the \\"elicitation\\" capability');
  });

  it("moves a task to input_required while it waits for the answer, then back to working", async () => {
    const s = server();
    const answer = createDeferred<Record<string, unknown>>();
    const statuses: string[] = [];
    s.onTaskEvent((event) => {
      if (event.type === "status") statuses.push(event.task.status);
    });
    const task = await s.callTool("ask", {}, { task: true, elicitationHandler: () => answer.promise });
    for (let i = 0; i < 100 && (await s.fetchTask(task)).status !== "input_required"; i++)
      await new Promise((r) => setTimeout(r, 2));
    expect((await s.fetchTask(task)).status).toBe("input_required");
    answer.resolve({ action: "accept", content: { username: "grace", email: "g@example.com" } });
    await expect(s.awaitTask(task, 1000)).resolves.toBe("hello grace");
    expect(statuses).toEqual(["working", "input_required", "working", "completed"]);
  });
});

describe("handlers asking the client, over HTTP", () => {
  it("elicits and samples through our client's handlers", async () => {
    const s = server();
    const handle = await s.listen({ keepAliveMs: 0 });
    cleanups.push(() => handle.close());
    // Server requests are the 2025-11-25 way; 2026-07-28's input_required is the server's next step.
    const client = await Client.connect(handle.url, {
      protocolVersion: "2025-11-25",
      elicitationHandler: () => ({
        action: "accept",
        content: { username: "linus", email: "l@example.com" },
      }),
      samplingHandler: () => ({ role: "assistant", content: { type: "text", text: "42" }, model: "remote" }),
    });
    cleanups.push(() => client.close());
    expect(await client.callTool("ask")).toMatchObject({ content: [{ type: "text", text: "hello linus" }] });
    expect(await client.callTool("think", { prompt: "meaning?" })).toMatchObject({
      content: [{ type: "text", text: "model remote said: 42" }],
    });
  });

  it("drives a background task through input_required → working → completed with our client answering", async () => {
    const s = server();
    const handle = await s.listen({ keepAliveMs: 0 });
    cleanups.push(() => handle.close());
    const statuses: RemoteTaskState[] = [];
    const elicitations: Array<Record<string, unknown>> = [];
    const client = await Client.connect(handle.url, {
      protocolVersion: "2025-11-25",
      taskStatusHandler: (task) => statuses.push(task),
      elicitationHandler: async (params) => {
        elicitations.push(params);
        await new Promise((r) => setTimeout(r, 20));
        return { action: "accept", content: { username: "tasker", email: "t@example.com" } };
      },
    });
    cleanups.push(() => client.close());
    const task = await client.callTool("ask", {}, { task: true });
    const result = await task.result();
    expect(result).toMatchObject({ content: [{ type: "text", text: "hello tasker" }] });
    expect(elicitations[0]).toMatchObject({
      message: "Who are you?",
      _meta: { "io.modelcontextprotocol/related-task": { taskId: task.taskId } },
    });
    for (let i = 0; i < 100 && !statuses.some((t) => t.status === "completed"); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(statuses.map((t) => t.status)).toEqual(["working", "input_required", "working", "completed"]);
  });
});
