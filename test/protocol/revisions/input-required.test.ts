import { describe, expect, it } from "vitest";
import { checkInputResponse, readInputRetry } from "../../../src/protocol/revisions/input-required.js";

describe("readInputRetry", () => {
  it("reads inputResponses and requestState, both optional", () => {
    expect(readInputRetry(undefined)).toEqual({ inputResponses: undefined, requestState: undefined });
    expect(readInputRetry({ inputResponses: { k: { action: "cancel" } }, requestState: "s" })).toEqual({
      inputResponses: { k: { action: "cancel" } },
      requestState: "s",
    });
  });

  it("refuses inputResponses that are not an object of objects, and a requestState that is not a string", () => {
    for (const inputResponses of [null, 1, "x", [], { k: 1 }, { k: null }, { k: [] }]) {
      expect(() => readInputRetry({ inputResponses })).toThrow(
        expect.objectContaining({ code: -32602, reason: "input-responses-invalid" }),
      );
    }
    expect(() => readInputRetry({ requestState: 7 })).toThrow(
      expect.objectContaining({ code: -32602, reason: "request-state-invalid" }),
    );
  });
});

describe("checkInputResponse", () => {
  it("accepts each kind's result", () => {
    expect(() =>
      checkInputResponse("elicitation/create", "k", { action: "accept", content: {} }),
    ).not.toThrow();
    expect(() => checkInputResponse("elicitation/create", "k", { action: "decline" })).not.toThrow();
    expect(() =>
      checkInputResponse("sampling/createMessage", "k", { model: "m", role: "assistant", content: {} }),
    ).not.toThrow();
    expect(() => checkInputResponse("roots/list", "k", { roots: [{ uri: "file:///a" }] })).not.toThrow();
  });

  it("refuses a result of the wrong shape, naming its key", () => {
    for (const [method, response] of [
      ["elicitation/create", { action: "maybe" }],
      ["elicitation/create", { action: "accept", content: "text" }],
      ["sampling/createMessage", { content: {} }],
      ["roots/list", { roots: [{ name: "no uri" }] }],
    ] as const) {
      expect(() => checkInputResponse(method, "the-key", response)).toThrow(
        expect.objectContaining({ reason: "input-responses-invalid", data: { key: "the-key" } }),
      );
    }
  });
});
