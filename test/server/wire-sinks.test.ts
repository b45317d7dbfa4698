import { describe, expect, it } from "vitest";
import {
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  messageJson,
} from "../../src/protocol/jsonrpc.js";
import { Session } from "../../src/server/session.js";
import { WireProgressSink } from "../../src/server/wire-sinks.js";

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
