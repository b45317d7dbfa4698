import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/util/canonical-json.js";

describe("canonicalJson", () => {
  it("gives the same text whatever order keys were written in, at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [{ x: 2, y: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it("keeps array order and drops what JSON drops", () => {
    expect(canonicalJson([3, 1, 2])).toBe("[3,1,2]");
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson("text")).toBe('"text"');
  });
});
