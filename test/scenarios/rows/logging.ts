import { expect } from "vitest";
import { errorOf, resultOf, type Scenario, toolResult } from "../scenario.js";
import type { Wire } from "../wire.js";

const PAGE = "server/utilities/logging";
const LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

/** Calls the tool that logs one entry per level; returns the levels of the messages it produced. */
async function logLevels(wire: Wire): Promise<string[]> {
  const before = wire.log.notifications("notifications/message").length;
  await toolResult(wire, "log-levels");
  // Log entries of a call travel before its response (on its stream, where it has one); the
  // barrier covers a transport that routes them elsewhere.
  await wire.barrier();
  return wire.log
    .notifications("notifications/message")
    .slice(before)
    .map((m) => String(m.params?.level));
}

/** Logging: server/utilities/logging. */
export const loggingScenarios: Scenario[] = [
  {
    feature: "logging",
    name: "initialize declares the logging capability",
    spec: {
      page: PAGE,
      section: "Capabilities",
      says: "Servers that emit log message notifications **MUST** declare the `logging` capability",
    },
    async run(wire) {
      expect(wire.initialized.capabilities).toMatchObject({ logging: {} });
    },
  },
  {
    feature: "logging",
    name: "log entries arrive as notifications/message with level, logger and data",
    spec: {
      page: PAGE,
      section: "Log Message Notifications",
      says: "Servers send log messages using `notifications/message` notifications (params: `level`, optional `logger`, `data`)",
    },
    async run(wire) {
      expect(await logLevels(wire)).toEqual(LEVELS);
      const [first] = wire.log.notifications("notifications/message");
      expect(first).toEqual({
        jsonrpc: "2.0",
        method: "notifications/message",
        params: {
          level: "debug",
          logger: "spec-scenarios",
          data: { message: "debug entry", level: "debug" },
        },
      });
    },
  },
  {
    feature: "logging",
    name: "logging/setLevel answers an empty result and filters out lower levels",
    spec: {
      page: PAGE,
      section: "Message Flow",
      says: "Client->>Server: logging/setLevel (error) … Server-->>Client: Empty Result … Only sends error level and above",
    },
    async run(wire) {
      expect(resultOf(await wire.request("logging/setLevel", { level: "error" }))).toEqual({});
      expect(await logLevels(wire)).toEqual(["error", "critical", "alert", "emergency"]);
    },
  },
  {
    feature: "logging",
    name: "a later logging/setLevel changes the filter again, down as well as up",
    spec: {
      page: PAGE,
      section: "Setting Log Level",
      says: "To configure the minimum log level, clients **MAY** send a `logging/setLevel` request",
    },
    async run(wire) {
      resultOf(await wire.request("logging/setLevel", { level: "emergency" }));
      expect(await logLevels(wire)).toEqual(["emergency"]);
      resultOf(await wire.request("logging/setLevel", { level: "notice" }));
      expect(await logLevels(wire)).toEqual(["notice", "warning", "error", "critical", "alert", "emergency"]);
    },
  },
  {
    feature: "logging",
    name: "an unknown log level is refused with -32602 and leaves the level as it was",
    spec: {
      page: PAGE,
      section: "Error Handling",
      says: "Servers **SHOULD** return standard JSON-RPC errors for common failure cases: Invalid log level: `-32602` (Invalid params)",
    },
    async run(wire) {
      resultOf(await wire.request("logging/setLevel", { level: "warning" }));
      expect(errorOf(await wire.request("logging/setLevel", { level: "verbose" })).code).toBe(-32602);
      expect(await logLevels(wire)).toEqual(["warning", "error", "critical", "alert", "emergency"]);
    },
  },
];
