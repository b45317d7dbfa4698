import { expect } from "vitest";
import {
  callTool,
  probe,
  release,
  resultOf,
  type Scenario,
  startTask,
  statusReached,
  toolResult,
} from "../scenario.js";
import type { Call, Wire } from "../wire.js";

const PAGE = "basic/utilities/cancellation";
const RECEIVERS_SHOULD = "Receivers of cancellation notifications **SHOULD**:";

/** Starts a `block` call and waits until its handler runs. */
async function blocked(wire: Wire, stubborn = false): Promise<{ key: string; call: Call }> {
  const key = wire.key("gate");
  const call = callTool(wire, "block", { key, stubborn });
  expect(await probe(wire, key, "started")).toEqual({ state: "released" });
  return { key, call };
}

/** Error responses the server sent that answer nothing we asked (a reply to a notification). */
const strayErrors = (wire: Wire) => wire.log.messages.filter((m) => m.error !== undefined && m.id === null);

/** Cancellation: basic/utilities/cancellation. */
export const cancellationScenarios: Scenario[] = [
  {
    feature: "cancellation",
    name: "notifications/cancelled stops the handler",
    spec: {
      page: PAGE,
      section: "Behavior Requirements",
      says: `${RECEIVERS_SHOULD} Stop processing the cancelled request`,
    },
    async run(wire) {
      const { key, call } = await blocked(wire);
      await wire.notify("notifications/cancelled", { requestId: call.id, reason: "the user gave up" });
      const settled = await probe(wire, key, "settled");
      expect(settled.state).toBe("aborted");
      expect(settled.reason).toContain("the user gave up");
    },
  },
  {
    feature: "cancellation",
    name: "no response is sent for a cancelled request",
    spec: {
      page: PAGE,
      section: "Behavior Requirements",
      says: `${RECEIVERS_SHOULD} … Not send a response for the cancelled request`,
    },
    async run(wire) {
      const aborted = await blocked(wire);
      await wire.notify("notifications/cancelled", { requestId: aborted.call.id, reason: "not needed" });
      expect((await probe(wire, aborted.key, "settled")).state).toBe("aborted");
      expect(await wire.outcome(aborted.call)).toBeUndefined();
      // A handler that ignores its signal and returns a value: the value is dropped too.
      const finished = await blocked(wire, true);
      await wire.notify("notifications/cancelled", { requestId: finished.call.id, reason: "not needed" });
      await release(wire, finished.key);
      expect((await probe(wire, finished.key, "settled")).state).toBe("released");
      expect(await wire.outcome(finished.call)).toBeUndefined();
    },
  },
  {
    feature: "cancellation",
    name: "a cancellation for an unknown request, or a malformed one, is ignored",
    spec: {
      page: PAGE,
      section: "Error Handling",
      says: "Invalid cancellation notifications **SHOULD** be ignored: Unknown request IDs … Malformed notifications",
    },
    async run(wire) {
      await wire.notify("notifications/cancelled", { requestId: "never-sent", reason: "?" });
      await wire.notify("notifications/cancelled", { reason: "no id" });
      await wire.notify("notifications/cancelled", { requestId: { not: "an id" } });
      expect(resultOf(await wire.request("ping"))).toEqual({});
      await wire.barrier();
      expect(strayErrors(wire)).toEqual([]);
    },
  },
  {
    feature: "cancellation",
    name: "a cancellation that arrives after the response is ignored, and the session goes on",
    spec: {
      page: PAGE,
      section: "Timing Considerations",
      says: "cancellation notifications may arrive after request processing has completed, and potentially after a response has already been sent. Both parties **MUST** handle these race conditions gracefully",
    },
    async run(wire) {
      const first = callTool(wire, "echo", { text: "done already" });
      resultOf(await first.response);
      await wire.notify("notifications/cancelled", { requestId: first.id, reason: "late" });
      expect((await toolResult(wire, "echo", { text: "still here" })).content).toEqual([
        { type: "text", text: "still here" },
      ]);
      await wire.barrier();
      expect(wire.log.messages.filter((m) => m.id === first.id)).toHaveLength(1);
      expect(strayErrors(wire)).toEqual([]);
    },
  },
  {
    feature: "cancellation",
    name: "a cancelled request frees its id for a new request",
    spec: {
      page: PAGE,
      section: "Behavior Requirements",
      says: `${RECEIVERS_SHOULD} … Free associated resources`,
    },
    async run(wire) {
      const { key, call } = await blocked(wire);
      await wire.notify("notifications/cancelled", { requestId: call.id });
      expect((await probe(wire, key, "settled")).state).toBe("aborted");
      expect(await wire.outcome(call)).toBeUndefined();
      // The server forgot the cancelled request: its id may be used again (not a duplicate).
      const reused = wire.call("tools/call", { name: "echo", arguments: { text: "reused" } }, call.id);
      expect(resultOf(await reused.response).content).toEqual([{ type: "text", text: "reused" }]);
    },
  },
  {
    feature: "cancellation",
    name: "cancelling a waiting tasks/result does not cancel the task",
    spec: {
      page: PAGE,
      section: "Behavior Requirements",
      says: "For task-augmented requests, the `tasks/cancel` request **MUST** be used instead of the `notifications/cancelled` notification.",
    },
    async run(wire) {
      const key = wire.key("gate");
      const task = await startTask(wire, "job", { key });
      const waiting = wire.call("tasks/result", { taskId: task.taskId });
      // tasks/get answered after tasks/result was sent: the wait is in place.
      expect(resultOf(await wire.request("tasks/get", { taskId: task.taskId })).status).toBe("working");
      await wire.notify("notifications/cancelled", { requestId: waiting.id, reason: "stop waiting" });
      expect(resultOf(await wire.request("tasks/get", { taskId: task.taskId })).status).toBe("working");
      await release(wire, key);
      await statusReached(wire, task.taskId, "completed");
      expect(await wire.outcome(waiting)).toBeUndefined();
      const result = resultOf(await wire.request("tasks/result", { taskId: task.taskId }));
      expect(result.structuredContent).toEqual({ key, done: true });
    },
  },
];
