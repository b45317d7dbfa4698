import { describe, expect, it } from "vitest";
import {
  type JsonRpcMessage,
  messageJson,
  notification,
  SerializedNotification,
} from "../../src/protocol/jsonrpc.js";

describe("SerializedNotification and messageJson", () => {
  it("takes a carried text as is, and reads like the plain notification", () => {
    const params = { progressToken: "t", progress: 1 };
    const json = JSON.stringify(notification("notifications/progress", params));
    const message = new SerializedNotification("notifications/progress", params, json);
    expect(messageJson(message)).toBe(json);
    expect(JSON.stringify(message)).toBe(json);
    expect(message).toEqual(notification("notifications/progress", params));
    expect(Object.keys(message)).toEqual(["jsonrpc", "method", "params"]);
    // The text is the sender's promise: messageJson does not check it.
    expect(messageJson(new SerializedNotification("m", {}, "carried"))).toBe("carried");
  });

  it("serialises any other message with JSON.stringify", () => {
    const messages: JsonRpcMessage[] = [
      { jsonrpc: "2.0", id: 1, result: { a: [1, "b"] } },
      notification("notifications/progress", { progressToken: "t", progress: 1 }),
      { jsonrpc: "2.0", id: "x", method: "ping" },
    ];
    for (const message of messages) expect(messageJson(message)).toBe(JSON.stringify(message));
  });

  it("throws what JSON.stringify throws", () => {
    expect(() => messageJson({ jsonrpc: "2.0", id: 1, result: { n: 1n } })).toThrow(TypeError);
  });
});
