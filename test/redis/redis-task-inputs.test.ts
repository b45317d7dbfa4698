/**
 * `tasks/update` (the tasks extension, MCP 2026-07-28) served by another instance than the one
 * running the task: two servers on one Redis, A runs a task waiting for elicitation input, the
 * client's answers go to B, and they reach A's handler over the task event stream.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { FastestMCP } from "../../src/fastestmcp.js";
import { redisBackend } from "../../src/redis.js";
import type { TaskEvent } from "../../src/tasks/task-events.js";
import { createDeferred } from "../../src/util/deferred.js";
import {
  type Answer,
  post,
  TASKS,
  tasksServer,
  terminalGet,
} from "../server/tasks/task-extension-harness.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

const ASKING = { elicitation: {}, extensions: { [TASKS]: {} } };
const NAME = { type: "object", properties: { name: { type: "string" } } } as const;
/** Far longer than any test: only an event, never a store poll, can move a task along in time. */
const NO_POLLING = { storePollIntervalMs: 600_000 };
let prefixes = 0;

/** Instances A and B of one server on one Redis prefix (closed after each test by the harness). */
function instances() {
  const prefix = `inputs-${++prefixes}:`;
  const make = () => {
    const { server } = tasksServer({ backend: redisBackend({ url: redis.url, prefix }), tasks: NO_POLLING });
    return server.addTool(
      "ask_name",
      async (_args, ctx) => {
        const first = await ctx.elicit<{ name: string }>("Your name?", NAME);
        const second = await ctx.elicit<{ name: string }>("And again?", NAME, { inputKey: "again" });
        return `Hello, ${first.content?.name} and ${second.content?.name}!`;
      },
      { task: true },
    );
  };
  return { a: make(), b: make() };
}

function update(server: FastestMCP, taskId: string, inputResponses: unknown): Promise<Answer> {
  return post(server, "tasks/update", { taskId, inputResponses }, { capabilities: ASKING });
}

/** A's record once its handler waits under `key` (A's own status events: no sleeping). */
async function waitingOn(a: FastestMCP, taskId: string, key?: string): Promise<string> {
  const keys = (task: TaskEvent["task"]) => Object.keys(task.inputRequests ?? {});
  const fits = (task: TaskEvent["task"]) =>
    task.status === "input_required" && (key === undefined || keys(task).includes(key));
  const reached = createDeferred<string>();
  const stop = a.onTaskEvent((event) => {
    if (event.task.taskId === taskId && fits(event.task)) reached.resolve(keys(event.task)[0] as string);
  });
  const now = (await post(a, "tasks/get", { taskId }, { capabilities: ASKING })).body.result;
  if (fits(now)) reached.resolve(Object.keys(now.inputRequests)[0] as string);
  const found = await reached.promise;
  stop();
  return found;
}

describe("tasks/update across instances on Redis", () => {
  it("resumes a task waiting on A when tasks/update reaches B, round after round, to its result", async () => {
    const { a, b } = instances();
    const created = await post(
      a,
      "tools/call",
      { name: "ask_name", arguments: {} },
      { capabilities: ASKING },
    );
    const taskId = created.body.result.taskId as string;
    const key = await waitingOn(a, taskId);
    // B shows what A's handler asks (the record is shared) and takes the answer.
    const onB = (await post(b, "tasks/get", { taskId }, { capabilities: ASKING })).body.result;
    expect(onB.inputRequests[key]).toMatchObject({ method: "elicitation/create" });
    const ack = await update(b, taskId, { [key]: { action: "accept", content: { name: "Ada" } } });
    expect(ack.body.result.resultType).toBe("complete");
    await waitingOn(a, taskId, "again");
    await update(b, taskId, { again: { action: "accept", content: { name: "Bo" } } });
    // B acknowledges once the answer is on the bus; A resumes the task when it reads it, so the
    // record may still show input_required for a moment: wait for the end, not the first change.
    const done = await vi.waitFor(
      async () => {
        const got = (await terminalGet(a, taskId)).body.result;
        expect(got.status).toBe("completed");
        return got;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(done).toMatchObject({
      status: "completed",
      result: { content: [{ text: "Hello, Ada and Bo!" }] },
    });
  });

  it("refuses on B an answer that does not fit A's question (-32602 input-responses-invalid), delivering nothing, and ignores keys nobody asked", async () => {
    const { a, b } = instances();
    const created = await post(
      a,
      "tools/call",
      { name: "ask_name", arguments: {} },
      { capabilities: ASKING },
    );
    const taskId = created.body.result.taskId as string;
    const key = await waitingOn(a, taskId);
    const refused = await update(b, taskId, {
      [key]: { action: "maybe" },
      "nobody-asked": { action: "accept" },
    });
    expect(refused.body.error).toMatchObject({
      code: -32602,
      data: { reason: "input-responses-invalid", key },
    });
    const ignored = await update(b, taskId, { "nobody-asked": { action: "accept", content: { name: "x" } } });
    expect(ignored.body.result.resultType).toBe("complete");
    // Still waiting on A for the same question: nothing of either update reached it.
    expect(await waitingOn(a, taskId)).toBe(key);
    expect((await post(a, "tasks/get", { taskId }, { capabilities: ASKING })).body.result).toMatchObject({
      status: "input_required",
      inputRequests: { [key]: { method: "elicitation/create" } },
    });
    await update(b, taskId, { [key]: { action: "decline" } });
    await waitingOn(a, taskId, "again");
    await update(b, taskId, { again: { action: "decline" } });
    expect((await terminalGet(a, taskId)).body.result.status).toBe("completed");
  });
});
