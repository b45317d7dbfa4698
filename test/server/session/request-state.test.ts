import { describe, expect, it } from "vitest";
import { bindingOf, RequestStateSeal } from "../../../src/server/session/request-state.js";

const at = (clock: { now: number }) => () => clock.now;

describe("RequestStateSeal", () => {
  it("opens what it sealed for the same request and caller, until the TTL", async () => {
    const clock = { now: 1_000 };
    const seal = new RequestStateSeal({ secret: "s", ttlMs: 500 }, at(clock));
    const binding = await bindingOf("tools/call", { name: "t", arguments: { a: 1 } }, "owner");
    const state = await seal.seal(binding, { k: { action: "decline" } });
    clock.now = 1_499;
    await expect(seal.open(state, binding)).resolves.toEqual({ k: { action: "decline" } });
    clock.now = 1_500;
    await expect(seal.open(state, binding)).rejects.toMatchObject({
      code: -32602,
      reason: "request-state-expired",
    });
  });

  it("binds the state to the method, the salient params and the owner", async () => {
    const seal = new RequestStateSeal({ secret: "s" });
    const params = { name: "t", arguments: { a: 1, b: [2] } };
    const binding = await bindingOf("tools/call", params, "alice");
    const state = await seal.seal(binding, {});
    // The retry's own fields, _meta and key order do not change the binding.
    const retried = await bindingOf(
      "tools/call",
      { arguments: { b: [2], a: 1 }, name: "t", requestState: state, inputResponses: {}, _meta: { x: 1 } },
      "alice",
    );
    await expect(seal.open(state, retried)).resolves.toEqual({});
    for (const other of [
      await bindingOf("prompts/get", params, "alice"),
      await bindingOf("tools/call", { name: "t", arguments: { a: 2, b: [2] } }, "alice"),
      await bindingOf("tools/call", { name: "u", arguments: { a: 1, b: [2] } }, "alice"),
      await bindingOf("tools/call", params, "mallory"),
    ]) {
      await expect(seal.open(state, other)).rejects.toMatchObject({ reason: "request-state-mismatch" });
    }
  });

  it("refuses a state it did not sign", async () => {
    const binding = await bindingOf("tools/call", {}, "o");
    const state = await new RequestStateSeal({ secret: "one" }).seal(binding, {});
    await expect(new RequestStateSeal({ secret: "two" }).open(state, binding)).rejects.toMatchObject({
      code: -32602,
      reason: "request-state-invalid",
    });
  });

  it("checks its options", () => {
    expect(() => new RequestStateSeal({ secret: "" })).toThrow(/must not be empty/);
    expect(() => new RequestStateSeal({ secret: new Uint8Array() })).toThrow(/must not be empty/);
    expect(() => new RequestStateSeal({ secret: 42 as unknown as string })).toThrow(/string or a Uint8Array/);
    expect(() => new RequestStateSeal({ ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => new RequestStateSeal({ ttlMs: Number.NaN })).toThrow(/ttlMs/);
  });
});
