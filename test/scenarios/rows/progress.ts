import { expect } from "vitest";
import {
  callTool,
  errorOf,
  probe,
  progressOf,
  release,
  resultOf,
  type Scenario,
  startTask,
  statusReached,
  toolResult,
} from "../scenario.js";

const PAGE = "basic/utilities/progress";

/** Progress: basic/utilities/progress. */
export const progressScenarios: Scenario[] = [
  {
    feature: "progress",
    name: "notifications carry the request's token back, string or integer",
    spec: {
      page: PAGE,
      section: "Progress Flow",
      says: "Progress tokens **MUST** be a string or integer value … The receiver **MAY** then send progress notifications containing: The original progress token",
    },
    async run(wire) {
      for (const token of [wire.key("token"), 7_000_001]) {
        await toolResult(wire, "steps", { count: 2 }, { _meta: { progressToken: token } });
        const updates = progressOf(wire, token);
        expect(updates).toHaveLength(2);
        expect(updates.every((p) => p.progressToken === token)).toBe(true);
      }
    },
  },
  {
    feature: "progress",
    name: "progress increases with every notification, with total and message",
    spec: {
      page: PAGE,
      section: "Progress Flow",
      says: "The `progress` value **MUST** increase with each notification, even if the total is unknown. … The `message` field **SHOULD** provide relevant human readable progress information.",
    },
    async run(wire) {
      const token = wire.key("increasing");
      await toolResult(wire, "steps", { count: 4 }, { _meta: { progressToken: token } });
      expect(progressOf(wire, token)).toEqual(
        [1, 2, 3, 4].map((i) => ({ progressToken: token, progress: i, total: 4, message: `step ${i} of 4` })),
      );
    },
  },
  {
    feature: "progress",
    name: "progress and total may be floating point",
    spec: {
      page: PAGE,
      section: "Progress Flow",
      says: "The `progress` and the `total` values **MAY** be floating point.",
    },
    async run(wire) {
      const token = wire.key("float");
      await toolResult(wire, "steps", { count: 3, scale: 0.5 }, { _meta: { progressToken: token } });
      expect(progressOf(wire, token).map((p) => [p.progress, p.total])).toEqual([
        [0.5, 1.5],
        [1, 1.5],
        [1.5, 1.5],
      ]);
    },
  },
  {
    feature: "progress",
    name: "every notification arrives before the response, and none after it",
    spec: {
      page: PAGE,
      section: "Implementation Notes",
      says: "Progress notifications **MUST** stop after completion",
    },
    async run(wire) {
      const token = wire.key("linger");
      const key = wire.key("gate");
      const call = callTool(wire, "linger", { key }, { _meta: { progressToken: token } });
      const response = await call.response;
      expect(resultOf(response).content).toEqual([{ type: "text", text: "returned" }]);
      const responseAt = wire.log.messages.indexOf(response);
      expect(progressOf(wire, token).map((p) => p.progress)).toEqual([1]);
      // The handler kept its context and reports again once released: the server must refuse.
      await release(wire, key);
      expect(await probe(wire, key, "settled")).toEqual({
        state: "late-progress-refused",
        reason: "progress-after-completion",
      });
      await wire.barrier();
      const after = wire.log.messages.slice(responseAt + 1);
      expect(after.filter((m) => m.params?.progressToken === token)).toEqual([]);
    },
  },
  {
    feature: "progress",
    name: "a request without a token gets no progress notifications",
    spec: {
      page: PAGE,
      section: "Behavior Requirements",
      says: "Progress notifications **MUST** only reference tokens that: Were provided in an active request",
    },
    async run(wire) {
      await toolResult(wire, "steps", { count: 3 });
      await wire.barrier();
      expect(wire.log.notifications("notifications/progress")).toEqual([]);
    },
  },
  {
    feature: "progress",
    name: "a token that is neither a string nor an integer is refused with -32602",
    spec: {
      page: PAGE,
      section: "Progress Flow",
      says: "Progress tokens **MUST** be a string or integer value",
    },
    async run(wire) {
      const error = errorOf(
        await callTool(wire, "steps", { count: 1 }, { _meta: { progressToken: { nested: true } } }).response,
      );
      expect(error.code).toBe(-32602);
      await wire.barrier();
      expect(wire.log.notifications("notifications/progress")).toEqual([]);
    },
  },
  {
    feature: "progress",
    name: "a task keeps its token after CreateTaskResult, and stops at its terminal status",
    spec: {
      page: PAGE,
      section: "Behavior Requirements",
      says: "For task-augmented requests, the `progressToken` provided in the original request **MUST** continue to be used for progress notifications throughout the task's lifetime, even after the `CreateTaskResult` has been returned. … Progress notifications for tasks **MUST** stop after the task reaches a terminal status",
    },
    async run(wire) {
      const token = wire.key("task-token");
      const key = wire.key("gate");
      const task = await startTask(wire, "job", { key }, { _meta: { progressToken: token } });
      await probe(wire, key, "started");
      await release(wire, key);
      const completed = await statusReached(wire, task.taskId, "completed");
      await wire.barrier();
      const updates = progressOf(wire, token);
      expect(updates.map((p) => [p.progress, p.message])).toEqual([
        [1, "started"],
        [2, "finishing"],
      ]);
      // The last update left before the terminal status; nothing followed it.
      const terminalAt = wire.log.messages.indexOf(completed);
      expect(
        wire.log.messages.slice(terminalAt + 1).filter((m) => m.params?.progressToken === token),
      ).toEqual([]);
    },
  },
];
