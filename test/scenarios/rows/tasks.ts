import { expect } from "vitest";
import {
  callTool,
  errorOf,
  ISO_DATE_TIME,
  probe,
  release,
  resultOf,
  type Scenario,
  startTask,
  statusesOf,
  statusReached,
} from "../scenario.js";

const PAGE = "basic/utilities/tasks";
const RELATED_TASK = "io.modelcontextprotocol/related-task";

/** Tasks: basic/utilities/tasks (experimental in 2025-11-25). */
export const taskScenarios: Scenario[] = [
  {
    feature: "tasks",
    name: "initialize declares tasks: list, cancel and task-augmented tools/call",
    spec: {
      page: PAGE,
      section: "Capabilities",
      says: "Servers and clients that support task-augmented requests **MUST** declare a `tasks` capability during initialization.",
    },
    async run(wire) {
      expect(wire.initialized.capabilities).toMatchObject({
        tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
      });
    },
  },
  {
    feature: "tasks",
    name: "tools/list states each tool's execution.taskSupport",
    spec: {
      page: PAGE,
      section: "Tool-Level Negotiation",
      says: 'In the result of `tools/list`, tools declare support for tasks via `execution.taskSupport`, which if present can have a value of `"required"`, `"optional"`, or `"forbidden"`.',
    },
    async run(wire) {
      const { tools } = resultOf(await wire.request("tools/list")) as {
        tools: Array<Record<string, unknown>>;
      };
      const support = (name: string) =>
        (tools.find((t) => t.name === name)?.execution as { taskSupport?: string } | undefined)?.taskSupport;
      expect([support("job"), support("job-required")]).toEqual(["optional", "required"]);
      expect([undefined, "forbidden"]).toContain(support("echo"));
    },
  },
  {
    feature: "tasks",
    name: "a task call to a tool without task support is refused with -32601",
    spec: {
      page: PAGE,
      section: "Tool-Level Negotiation",
      says: 'If `execution.taskSupport` is not present or `"forbidden"`, clients **MUST NOT** attempt to invoke the tool as a task. Servers **SHOULD** return a `-32601` (Method not found) error if a client attempts to do so.',
    },
    async run(wire) {
      expect(errorOf(await callTool(wire, "echo", { text: "x" }, { task: {} }).response).code).toBe(-32601);
    },
  },
  {
    feature: "tasks",
    name: "a plain call to a tool that requires a task is refused with -32601",
    spec: {
      page: PAGE,
      section: "Tool-Level Negotiation",
      says: 'If `execution.taskSupport` is `"required"`, clients **MUST** invoke the tool as a task. Servers **MUST** return a `-32601` (Method not found) error if a client does not attempt to do so.',
    },
    async run(wire) {
      expect(errorOf(await callTool(wire, "job-required").response).code).toBe(-32601);
    },
  },
  {
    feature: "tasks",
    name: "a task call answers CreateTaskResult at once: a working task with id, timestamps and ttl",
    spec: {
      page: PAGE,
      section: "Task Status Lifecycle / Result Retrieval",
      says: "Tasks **MUST** begin in the `working` status when created. … Receivers that accept a task-augmented request **MUST** return a `CreateTaskResult` as the response.",
    },
    async run(wire) {
      const key = wire.key("gate");
      const task = await startTask(wire, "job", { key }, { task: { ttl: 60_000 } });
      expect(task).toMatchObject({ status: "working", ttl: 60_000, pollInterval: 25 });
      expect(task.createdAt).toMatch(ISO_DATE_TIME);
      expect(task.lastUpdatedAt).toMatch(ISO_DATE_TIME);
      await release(wire, key);
    },
  },
  {
    feature: "tasks",
    name: "tasks/get returns the task with its ttl and timestamps, without related-task _meta",
    spec: {
      page: PAGE,
      section: "TTL and Resource Management",
      says: "Receivers **MUST** include the actual `ttl` duration (or `null` for unlimited) in `tasks/get` responses. … receivers **SHOULD NOT** include `io.modelcontextprotocol/related-task` metadata in the result messages",
    },
    async run(wire) {
      const key = wire.key("gate");
      const task = await startTask(wire, "job", { key });
      const got = resultOf(await wire.request("tasks/get", { taskId: task.taskId }));
      expect(got).toMatchObject({ taskId: task.taskId, status: "working", createdAt: task.createdAt });
      expect(got.ttl === null || typeof got.ttl === "number").toBe(true);
      expect(got.lastUpdatedAt).toMatch(ISO_DATE_TIME);
      expect((got._meta as Record<string, unknown> | undefined)?.[RELATED_TASK]).toBeUndefined();
      await release(wire, key);
    },
  },
  {
    feature: "tasks",
    name: "tasks/result blocks until the task is terminal, then returns the tool result with related-task _meta",
    spec: {
      page: PAGE,
      section: "Result Retrieval",
      says: "When a receiver receives a `tasks/result` request for a task in any other non-terminal status (`working` or `input_required`), it **MUST** block the response until the task reaches a terminal status.",
    },
    async run(wire) {
      const key = wire.key("gate");
      const task = await startTask(wire, "job", { key });
      const waiting = wire.call("tasks/result", { taskId: task.taskId });
      // A later request answered while the task is still gated: tasks/result has not answered.
      expect(resultOf(await wire.request("tasks/get", { taskId: task.taskId })).status).toBe("working");
      expect(wire.log.answered(waiting.id)).toBe(false);
      await release(wire, key);
      const result = resultOf(await waiting.response);
      expect(result).toMatchObject({
        structuredContent: { key, done: true },
        _meta: { [RELATED_TASK]: { taskId: task.taskId } },
      });
      expect(resultOf(await wire.request("tasks/get", { taskId: task.taskId })).status).toBe("completed");
    },
  },
  {
    feature: "tasks",
    name: "a failed task's tasks/result is exactly what the plain call returns",
    spec: {
      page: PAGE,
      section: "Result Retrieval",
      says: "For tasks in a terminal status, receivers **MUST** return from `tasks/result` exactly what the underlying request would have returned, whether that is a successful result or a JSON-RPC error.",
    },
    async run(wire) {
      const args = { key: wire.key("no-gate"), wait: false, fail: true };
      const plain = resultOf(await callTool(wire, "job", args).response);
      expect(plain.isError).toBe(true);
      const task = await startTask(wire, "job", args);
      await statusReached(wire, task.taskId, "failed");
      const { _meta, ...stored } = resultOf(await wire.request("tasks/result", { taskId: task.taskId }));
      expect(stored).toEqual(plain);
      expect(_meta).toEqual({ [RELATED_TASK]: { taskId: task.taskId } });
      const got = resultOf(await wire.request("tasks/get", { taskId: task.taskId }));
      expect(got.status).toBe("failed");
    },
  },
  {
    feature: "tasks",
    name: "tasks/list returns every task the session can get, with unique ids",
    spec: {
      page: PAGE,
      section: "Task Listing / Task ID Requirements",
      says: "If a task is retrievable via `tasks/get` for a requestor, it **MUST** be retrievable via `tasks/list` for that requestor. … Task IDs **MUST** be unique among all tasks controlled by the receiver.",
    },
    async run(wire) {
      const first = await startTask(wire, "job", { key: wire.key("no-gate"), wait: false });
      const second = await startTask(wire, "job", { key: wire.key("no-gate"), wait: false });
      expect(first.taskId).not.toBe(second.taskId);
      await statusReached(wire, second.taskId, "completed");
      const { tasks } = resultOf(await wire.request("tasks/list")) as {
        tasks: Array<Record<string, unknown>>;
      };
      expect(tasks.map((t) => t.taskId)).toEqual([first.taskId, second.taskId]);
      for (const task of tasks) expect(task.createdAt).toMatch(ISO_DATE_TIME);
    },
  },
  {
    feature: "tasks",
    name: "an unknown taskId or a bad cursor is refused with -32602",
    spec: {
      page: PAGE,
      section: "Error Handling > Protocol Errors",
      says: "Receivers **MUST** return standard JSON-RPC errors for the following protocol error cases: Invalid or nonexistent `taskId` in `tasks/get`, `tasks/result`, or `tasks/cancel`: `-32602` … Invalid or nonexistent cursor in `tasks/list`: `-32602`",
    },
    async run(wire) {
      for (const method of ["tasks/get", "tasks/result", "tasks/cancel"]) {
        expect(errorOf(await wire.request(method, { taskId: "no-such-task" })).code, method).toBe(-32602);
      }
      expect(errorOf(await wire.request("tasks/list", { cursor: "not-a-cursor" })).code).toBe(-32602);
    },
  },
  {
    feature: "tasks",
    name: "tasks/cancel answers with the task already cancelled, and stops its handler",
    spec: {
      page: PAGE,
      section: "Task Cancellation",
      says: "Upon receiving a valid cancellation request, receivers **SHOULD** attempt to stop the task execution and **MUST** transition the task to `cancelled` status before sending the response.",
    },
    async run(wire) {
      const key = wire.key("gate");
      const task = await startTask(wire, "job", { key });
      await probe(wire, key, "started");
      const cancelled = resultOf(await wire.request("tasks/cancel", { taskId: task.taskId }));
      expect(cancelled).toMatchObject({ taskId: task.taskId, status: "cancelled" });
      expect((await probe(wire, key, "settled")).state).toBe("aborted");
      expect(resultOf(await wire.request("tasks/get", { taskId: task.taskId })).status).toBe("cancelled");
    },
  },
  {
    feature: "tasks",
    name: "a cancelled task stays cancelled when its handler completes anyway",
    spec: {
      page: PAGE,
      section: "Task Cancellation",
      says: "Once a task is cancelled, it **MUST** remain in `cancelled` status even if execution continues to completion or fails.",
    },
    async run(wire) {
      const key = wire.key("gate");
      const task = await startTask(wire, "job", { key, stubborn: true });
      await probe(wire, key, "started");
      resultOf(await wire.request("tasks/cancel", { taskId: task.taskId }));
      await release(wire, key);
      expect(await probe(wire, key, "settled")).toEqual({ state: "released" });
      await wire.barrier();
      expect(resultOf(await wire.request("tasks/get", { taskId: task.taskId })).status).toBe("cancelled");
      expect(statusesOf(wire, task.taskId).map((s) => s.status)).not.toContain("completed");
    },
  },
  {
    feature: "tasks",
    name: "cancelling a task that is already terminal is refused with -32602",
    spec: {
      page: PAGE,
      section: "Task Cancellation",
      says: "Receivers **MUST** reject cancellation requests for tasks already in a terminal status (`completed`, `failed`, or `cancelled`) with error code `-32602` (Invalid params).",
    },
    async run(wire) {
      const task = await startTask(wire, "job", { key: wire.key("no-gate"), wait: false });
      await statusReached(wire, task.taskId, "completed");
      expect(errorOf(await wire.request("tasks/cancel", { taskId: task.taskId })).code).toBe(-32602);
      expect(resultOf(await wire.request("tasks/get", { taskId: task.taskId })).status).toBe("completed");
    },
  },
  {
    feature: "tasks",
    name: "status notifications carry the full task, end at the terminal status, without related-task _meta",
    spec: {
      page: PAGE,
      section: "Task Status Notification / Task Notifications",
      says: "The notification includes the full `Task` object … Tasks with a `completed`, `failed`, or `cancelled` status are in a terminal state and **MUST NOT** transition to any other status … the `notifications/tasks/status` notification **SHOULD NOT** include the `io.modelcontextprotocol/related-task` metadata",
    },
    async run(wire) {
      const key = wire.key("gate");
      const task = await startTask(wire, "job", { key });
      await release(wire, key);
      await statusReached(wire, task.taskId, "completed");
      await wire.barrier();
      const statuses = statusesOf(wire, task.taskId);
      expect(statuses.at(-1)?.status).toBe("completed");
      expect(statuses.filter((s) => s.status === "completed")).toHaveLength(1);
      for (const status of statuses) {
        expect(status).toMatchObject({ taskId: task.taskId, createdAt: task.createdAt });
        expect(status.lastUpdatedAt).toMatch(ISO_DATE_TIME);
        expect("ttl" in status).toBe(true);
        expect((status._meta as Record<string, unknown> | undefined)?.[RELATED_TASK]).toBeUndefined();
      }
    },
  },
];
