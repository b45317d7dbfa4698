import { describe, expect, it } from "vitest";
import { InputRound } from "../../../src/server/session/input-round.js";

const form = { mode: "form", message: "Name?", requestedSchema: { type: "object", properties: {} } };
const accepted = { action: "accept", content: { name: "Ada" } };

function keyOf(round: InputRound, index: number): string {
  return [...round.pending.keys()][index] as string;
}

describe("InputRound", () => {
  it("records an unanswered ask under a key of its position and parameters, and fails it", () => {
    const round = new InputRound(undefined, undefined);
    expect(() => round.ask("elicitation/create", form)).toThrow(
      expect.objectContaining({ reason: "input-required" }),
    );
    expect(() => round.ask("roots/list", {})).toThrow();
    expect(keyOf(round, 0)).toMatch(/^elicit-0-[0-9a-f]{8}$/);
    expect(keyOf(round, 1)).toMatch(/^roots-1-[0-9a-f]{8}$/);
    expect(round.pending.get(keyOf(round, 0))).toEqual({ method: "elicitation/create", params: form });
  });

  it("answers the same ask in the next attempt, and a different n-th ask gets a new key", () => {
    const first = new InputRound(undefined, undefined);
    expect(() => first.ask("elicitation/create", form)).toThrow();
    const key = keyOf(first, 0);
    const retry = new InputRound({ [key]: accepted }, undefined);
    expect(retry.ask("elicitation/create", form)).toEqual(accepted);
    expect(retry.used).toEqual({ [key]: accepted });
    const changed = new InputRound({ [key]: accepted }, undefined);
    expect(() => changed.ask("elicitation/create", { ...form, message: "Other?" })).toThrow();
    expect(keyOf(changed, 0)).not.toBe(key);
  });

  it("uses an explicit key as given, prefers earlier signed answers, and ignores keys nobody asks for", () => {
    const round = new InputRound(
      { name: { action: "decline" }, extra: { anything: true } },
      { name: accepted, old: { action: "cancel" } },
    );
    expect(round.ask("elicitation/create", form, "name")).toEqual(accepted);
    expect(round.used).toEqual({ name: accepted });
    expect(round.pending.size).toBe(0);
  });

  it("fails an answer that does not fit its request, and remembers it", () => {
    const round = new InputRound({ roots: { roots: "nope" } }, undefined);
    expect(() => round.ask("roots/list", {}, "roots")).toThrow(
      expect.objectContaining({ code: -32602, reason: "input-responses-invalid" }),
    );
    expect(round.invalid?.reason).toBe("input-responses-invalid");
  });
});
