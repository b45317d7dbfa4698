/**
 * Tasks of the tasks extension waiting for input (SEP-2663 with SEP-2322's input requests) on MCP
 * 2026-07-28: a task's ctx.elicit/sample/listRoots parks it in input_required with its
 * inputRequests on tasks/get, and tasks/update's inputResponses resume it. Over the fetch front
 * (real headers and statuses). Spec: the extension's tasks.md ("Input Required", "tasks/update").
 */
import { describe, expect, it } from "vitest";
import type { FastestMCP } from "../../../src/fastestmcp.js";
import { MemoryTaskStore } from "../../../src/tasks/memory-task-store.js";
import type { TaskRecord } from "../../../src/tasks/task-record.js";
import { createDeferred } from "../../../src/util/deferred.js";
import { type Answer, post, TASKS, tasksServer, terminalGet } from "./task-extension-harness.js";

const ASKING = { elicitation: {}, sampling: {}, roots: {}, extensions: { [TASKS]: {} } };
const NAME = { type: "object", properties: { name: { type: "string" } } } as const;

function askingServer(options: Parameters<typeof tasksServer>[0] = {}) {
  const { server } = tasksServer(options);
  const aborted = createDeferred<unknown>();
  server
    .addTool(
      "ask_name",
      async (_args, ctx) => {
        const answer = await ctx.elicit<{ name: string }>("Your name?", NAME);
        return `Hello, ${answer.content?.name}!`;
      },
      { task: true },
    )
    .addTool(
      "ask_three",
      async (_args, ctx) => {
        const [first, roots] = await Promise.all([
          ctx.elicit<{ name: string }>("First?", NAME),
          ctx.listRoots(),
          ctx.sample("Say hi", { maxTokens: 5 }),
        ]);
        // A second round after the first is answered.
        const second = await ctx.elicit<{ name: string }>("Second?", NAME, { inputKey: "second" });
        return `${first.content?.name}, ${second.content?.name}, ${roots.length} roots`;
      },
      { task: true },
    )
    .addTool(
      "ask_until_cancelled",
      async (_args, ctx) => {
        try {
          await ctx.elicit("Never answered", NAME);
        } catch (error) {
          aborted.resolve(ctx.signal.aborted ? error : new Error("rejected without an abort"));
          throw error;
        }
        return "answered";
      },
      { task: true },
    );
  return { server, aborted };
}

async function start(server: FastestMCP, name: string, capabilities = ASKING): Promise<string> {
  const created = await post(server, "tools/call", { name, arguments: {} }, { capabilities });
  expect(created.body.result.resultType).toBe("task");
  return created.body.result.taskId as string;
}

/** tasks/get once the record satisfies `ready` (waits for the runtime's status events, no sleeping). */
async function getWhen(
  server: FastestMCP,
  taskId: string,
  ready: (record: Pick<TaskRecord, "status" | "inputRequests">) => boolean,
  via: FastestMCP = server,
): Promise<Answer> {
  const reached = createDeferred<void>();
  const stop = server.onTaskEvent((event) => {
    if (event.task.taskId === taskId && ready(event.task)) reached.resolve();
  });
  const first = await post(via, "tasks/get", { taskId }, { capabilities: ASKING });
  if (!ready(first.body.result)) await reached.promise;
  stop();
  return post(via, "tasks/get", { taskId }, { capabilities: ASKING });
}

const keysOf = (record: { inputRequests?: object }) => Object.keys(record.inputRequests ?? {});

function update(server: FastestMCP, taskId: string, inputResponses: unknown): Promise<Answer> {
  return post(server, "tasks/update", { taskId, inputResponses }, { capabilities: ASKING });
}

describe("tasks waiting for input on 2026-07-28", () => {
  it("parks a task that elicits in input_required with its request on tasks/get, and tasks/update resumes it to its result", async () => {
    const { server } = askingServer();
    const taskId = await start(server, "ask_name");
    const waiting = (await getWhen(server, taskId, (task) => task.status === "input_required")).body.result;
    const [key] = keysOf(waiting);
    expect(waiting.inputRequests).toEqual({
      [key as string]: {
        method: "elicitation/create",
        params: expect.objectContaining({ message: "Your name?", requestedSchema: NAME }),
      },
    });
    expect(waiting).not.toHaveProperty("requestState");
    const ack = await update(server, taskId, {
      [key as string]: { action: "accept", content: { name: "Ada" } },
    });
    expect(ack.status).toBe(200);
    expect(Object.keys(ack.body.result).sort()).toEqual(["_meta", "resultType"]);
    const done = (await terminalGet(server, taskId)).body.result;
    expect(done).toMatchObject({ status: "completed", result: { content: [{ text: "Hello, Ada!" }] } });
    expect(done).not.toHaveProperty("inputRequests");
  });

  it("keeps parallel asks pending together, drops each key once answered, and stays input_required until none is left", async () => {
    const { server } = askingServer();
    const taskId = await start(server, "ask_three");
    const all = (await getWhen(server, taskId, (task) => keysOf(task).length === 3)).body.result;
    const methods = Object.values(all.inputRequests as Record<string, { method: string }>).map(
      (r) => r.method,
    );
    expect(methods.sort()).toEqual(["elicitation/create", "roots/list", "sampling/createMessage"]);
    const byMethod = (method: string) =>
      Object.keys(all.inputRequests).find((key) => all.inputRequests[key].method === method) as string;
    await update(server, taskId, {
      [byMethod("elicitation/create")]: { action: "accept", content: { name: "Ada" } },
      [byMethod("roots/list")]: { roots: [{ uri: "file:///a" }, { uri: "file:///b" }] },
      "nobody-asked": { action: "accept" },
    });
    const partial = (await post(server, "tasks/get", { taskId }, { capabilities: ASKING })).body.result;
    expect(partial.status).toBe("input_required");
    expect(keysOf(partial)).toEqual([byMethod("sampling/createMessage")]);
    await update(server, taskId, {
      [byMethod("sampling/createMessage")]: {
        model: "m",
        role: "assistant",
        content: { type: "text", text: "hi" },
      },
    });
    // The next round, under the key the handler named.
    const next = (await getWhen(server, taskId, (task) => keysOf(task).includes("second"))).body.result;
    expect(next.status).toBe("input_required");
    expect(keysOf(next)).toEqual(["second"]);
    await update(server, taskId, { second: { action: "accept", content: { name: "Bo" } } });
    const done = (await terminalGet(server, taskId)).body.result;
    expect(done.result.content[0].text).toBe("Ada, Bo, 2 roots");
  });

  it("refuses an answer that does not fit its question (-32602) and delivers nothing of that update", async () => {
    const { server } = askingServer();
    const taskId = await start(server, "ask_name");
    const waiting = (await getWhen(server, taskId, (task) => task.status === "input_required")).body.result;
    const [key] = keysOf(waiting) as [string];
    const refused = await update(server, taskId, { [key]: { action: "maybe" } });
    expect(refused.body.error).toMatchObject({
      code: -32602,
      data: { reason: "input-responses-invalid", key },
    });
    for (const malformed of [null, [], { [key]: "yes" }]) {
      const { body } = await update(server, taskId, malformed);
      expect(body.error, JSON.stringify(malformed)).toMatchObject({ code: -32602 });
    }
    const still = (await post(server, "tasks/get", { taskId }, { capabilities: ASKING })).body.result;
    expect(still).toMatchObject({
      status: "input_required",
      inputRequests: { [key]: { method: "elicitation/create" } },
    });
    await update(server, taskId, { [key]: { action: "decline" } });
    expect((await terminalGet(server, taskId)).body.result.status).toBe("completed");
  });

  it("cancelling a waiting task rejects its ask: ctx.signal aborts and the task stays cancelled", async () => {
    const { server, aborted } = askingServer();
    const taskId = await start(server, "ask_until_cancelled");
    await getWhen(server, taskId, (task) => task.status === "input_required");
    await post(server, "tasks/cancel", { taskId }, { capabilities: ASKING });
    expect(await aborted.promise).toBeInstanceOf(Error);
    expect((await post(server, "tasks/get", { taskId }, { capabilities: ASKING })).body.result.status).toBe(
      "cancelled",
    );
    // An answer after the cancel is ignored.
    const late = await update(server, taskId, { "elicit-1": { action: "accept", content: { name: "x" } } });
    expect(late.body.result.resultType).toBe("complete");
  });

  it("fails the task with -32021 when the creating request did not declare the capability it asks for", async () => {
    const { server } = askingServer();
    const taskId = await start(server, "ask_name", { extensions: { [TASKS]: {} } } as typeof ASKING);
    const failed = (await terminalGet(server, taskId)).body.result;
    expect(failed).toMatchObject({
      status: "failed",
      error: { code: -32021, data: { requiredCapabilities: { elicitation: {} } } },
    });
  });

  it("shows the input requests to another instance sharing the store; its tasks/update is ignored, the running instance's resumes", async () => {
    const store = new MemoryTaskStore();
    const { server } = askingServer({ tasks: { store } });
    const { server: other } = askingServer({ tasks: { store } });
    const taskId = await start(server, "ask_name");
    const waiting = (await getWhen(server, taskId, (task) => task.status === "input_required", other)).body
      .result;
    const [key] = keysOf(waiting) as [string];
    expect(waiting.inputRequests[key].method).toBe("elicitation/create");
    const answer = { [key]: { action: "accept", content: { name: "Ada" } } };
    expect((await update(other, taskId, answer)).body.result.resultType).toBe("complete");
    expect((await post(other, "tasks/get", { taskId }, { capabilities: ASKING })).body.result.status).toBe(
      "input_required",
    );
    await update(server, taskId, answer);
    expect((await terminalGet(server, taskId)).body.result.result.content[0].text).toBe("Hello, Ada!");
  });
});
