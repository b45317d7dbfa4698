import { expect } from "vitest";
import type { Outcome } from "./scenario-server.js";
import type { Call, Message, Wire } from "./wire.js";

/** The MCP revision every scenario is keyed to. */
export const SPEC = "https://modelcontextprotocol.io/specification/2025-11-25";

/** Where a requirement is written: a page of the spec, a heading on it, and the sentence itself. */
export interface SpecRef {
  /** Page path under {@link SPEC}, e.g. `server/tools`. */
  page: string;
  /** The heading the sentence sits under. */
  section: string;
  /** The requirement, quoted from the spec (MUST/SHOULD/MAY as written there). */
  says: string;
}

export type Feature =
  | "lifecycle"
  | "tools"
  | "progress"
  | "logging"
  | "cancellation"
  | "tasks"
  | "resources"
  | "prompts";

/** One row of the scenario table: a spec requirement and the exchange that checks it. */
export interface Scenario {
  feature: Feature;
  /** What the server is expected to do, in a few words (the test title). */
  name: string;
  spec: SpecRef;
  run(wire: Wire): Promise<void>;
}

/** The result of a response, failing the scenario when it is an error. */
export function resultOf(response: Message): Record<string, unknown> {
  expect(response.error, `expected a result, got ${JSON.stringify(response.error)}`).toBeUndefined();
  expect(response.result).toBeTypeOf("object");
  return response.result as Record<string, unknown>;
}

/** The error of a response, failing the scenario when it is a result. */
export function errorOf(response: Message): NonNullable<Message["error"]> {
  expect(response.result, `expected an error, got ${JSON.stringify(response.result)}`).toBeUndefined();
  expect(response.error).toBeTypeOf("object");
  return response.error as NonNullable<Message["error"]>;
}

/** Sends `tools/call` (with `_meta` when given) and returns the in-flight call. */
export function callTool(
  wire: Wire,
  name: string,
  args: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Call {
  return wire.call("tools/call", { name, arguments: args, ...extra });
}

/** Calls a tool and returns its result (failing on a JSON-RPC error). */
export async function toolResult(
  wire: Wire,
  name: string,
  args: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  return resultOf(await callTool(wire, name, args, extra).response);
}

/**
 * Asks the scenario server what the gated handler `key` did: `until: "started"` resolves once it
 * runs, `until: "settled"` once it was released or aborted.
 */
export async function probe(wire: Wire, key: string, until: "started" | "settled"): Promise<Outcome> {
  const result = await toolResult(wire, "probe", { key, until });
  return result.structuredContent as unknown as Outcome;
}

/** Opens the gate `key`. */
export async function release(wire: Wire, key: string): Promise<void> {
  await toolResult(wire, "release", { key });
}

/** The params of the `notifications/progress` received so far for `token`, in order. */
export function progressOf(wire: Wire, token: string | number): Array<Record<string, unknown>> {
  return wire.log
    .notifications("notifications/progress")
    .map((m) => m.params as Record<string, unknown>)
    .filter((p) => p.progressToken === token);
}

/** The params of the `notifications/tasks/status` received so far for `taskId`, in order. */
export function statusesOf(wire: Wire, taskId: string): Array<Record<string, unknown>> {
  return wire.log
    .notifications("notifications/tasks/status")
    .map((m) => m.params as Record<string, unknown>)
    .filter((p) => p.taskId === taskId);
}

/** Starts `tool` as a task and returns the `task` of its `CreateTaskResult`. */
export async function startTask(
  wire: Wire,
  tool: string,
  args: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown> & { taskId: string }> {
  const result = await toolResult(wire, tool, args, { task: {}, ...extra });
  const task = result.task as Record<string, unknown> & { taskId: string };
  expect(task.taskId).toBeTypeOf("string");
  return task;
}

/** Waits for the status notification that says task `taskId` reached `status`. */
export function statusReached(wire: Wire, taskId: string, status: string): Promise<Message> {
  return wire.log.waitFor(
    (m) =>
      m.method === "notifications/tasks/status" && m.params?.taskId === taskId && m.params?.status === status,
    `task ${taskId} ${status}`,
  );
}

/** ISO 8601 / RFC 3339 date-time, as task timestamps must be. */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
