import { describe, expect, it } from "vitest";
import type { LogEntry } from "../../../src/context/logger.js";
import {
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  messageJson,
} from "../../../src/protocol/jsonrpc.js";
import { WireLogSink, WireProgressSink } from "../../../src/server/dispatch/wire-sinks.js";
import { Session } from "../../../src/server/session/session.js";

function capture() {
  const sent: Array<{ message: JsonRpcMessage; related: JsonRpcId | undefined }> = [];
  const handler = { dispatch: async () => undefined };
  const session = new Session("s", handler, { send: (message, related) => sent.push({ message, related }) });
  return { session, sent };
}

describe("WireProgressSink", () => {
  it("sends notifications whose carried JSON text is exactly JSON.stringify's", () => {
    const updates = [
      { current: 0 },
      { current: 0.5, total: 1e21 },
      {
        current: 1,
        total: 1e21,
        message: 'quote " backslash \\ newline \n tab \t nul \u0000 é 😀 lone \ud800',
      },
      { current: 2.000001, message: "" },
      { current: 1e-7, total: 3 },
      { current: 3 },
    ];
    for (const token of ["tok", 'we"ird\\tok\u2028', 7, 0.25]) {
      const { session, sent } = capture();
      const sink = new WireProgressSink(session, token, 42);
      for (const update of updates) sink.onProgress({ ...update, reportedAt: "" });
      // 1e-7 after 2.000001 does not increase: held back.
      expect(sent.map((s) => (s.message as JsonRpcNotification).params?.progress)).toEqual([
        0, 0.5, 1, 2.000001, 3,
      ]);
      for (const { message, related } of sent) {
        expect(related).toBe(42);
        expect(messageJson(message)).toBe(JSON.stringify(message));
        expect(JSON.parse(messageJson(message))).toEqual(message);
      }
    }
  });

  it("sends a plain-looking notification object", () => {
    const { session, sent } = capture();
    new WireProgressSink(session, "t").onProgress({ current: 1, total: 2, message: "m", reportedAt: "" });
    expect(sent[0]?.message).toEqual({
      jsonrpc: "2.0",
      method: "notifications/progress",
      params: { progressToken: "t", progress: 1, total: 2, message: "m" },
    });
    expect(Object.keys(sent[0]?.message ?? {})).toEqual(["jsonrpc", "method", "params"]);
  });

  it("serialises any other message with JSON.stringify", () => {
    const message: JsonRpcMessage = { jsonrpc: "2.0", id: 1, result: { a: [1, "b"] } };
    expect(messageJson(message)).toBe(JSON.stringify(message));
  });
});

describe("WireLogSink", () => {
  const entry = (message: unknown, data?: unknown, logger: unknown = "srv") =>
    ({ level: "info", message, logger, timestamp: "", ...(data === undefined ? {} : { data }) }) as LogEntry;

  it("sends notifications whose JSON text is exactly JSON.stringify's", () => {
    const { session, sent } = capture();
    const sink = new WireLogSink(session, 9);
    const entries = [
      entry("plain"),
      entry('quote " \\ \n \u0000 😀 \ud800'),
      entry("with object", { rows: 10, nested: { a: [1, null, "x"] }, skip: undefined, date: new Date(0) }),
      entry("with array", [1, 2]),
      entry("with primitive", 3),
      entry("overrides message", { message: "inner" }),
      entry("no logger", { a: 1 }, undefined),
      entry(42),
      entry(undefined),
    ];
    for (const e of entries) sink.onLog(e);
    expect(sent).toHaveLength(entries.length);
    for (const { message, related } of sent) {
      expect(related).toBe(9);
      expect(messageJson(message)).toBe(JSON.stringify(message));
    }
    expect(sent[2]?.message).toEqual({
      jsonrpc: "2.0",
      method: "notifications/message",
      params: {
        level: "info",
        logger: "srv",
        data: {
          rows: 10,
          nested: { a: [1, null, "x"] },
          skip: undefined,
          date: new Date(0),
          message: "with object",
        },
      },
    });
  });

  it("leaves what JSON.stringify cannot write, or writes differently nested, to the transport as before", () => {
    const { session, sent } = capture();
    const sink = new WireLogSink(session);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    sink.onLog(entry("bigint", { n: 1n }));
    sink.onLog(entry("cycle", cycle));
    sink.onLog(entry("own toJSON", { toJSON: (key: string) => `key ${key}` }));
    sink.onLog(entry(() => undefined));
    expect(() => messageJson(sent[0]!.message)).toThrow(TypeError);
    expect(() => messageJson(sent[1]!.message)).toThrow(TypeError);
    expect(messageJson(sent[2]!.message)).toBe(JSON.stringify(sent[2]!.message));
    expect(JSON.parse(messageJson(sent[2]!.message)).params.data).toBe("key data");
    expect(messageJson(sent[3]!.message)).toBe(JSON.stringify(sent[3]!.message));
  });

  it("drops entries below the session's level", () => {
    const { session, sent } = capture();
    session.logLevel = "warning";
    new WireLogSink(session).onLog(entry("quiet"));
    expect(sent).toHaveLength(0);
  });
});
