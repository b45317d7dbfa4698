import { describe, expect, it } from "vitest";
import { StringIntern } from "../../src/util/string-intern.js";

describe("StringIntern", () => {
  it("keeps one copy of equal strings made afresh", () => {
    const intern = new StringIntern();
    for (let step = 0; step < 3; step++) {
      for (let n = 1; n <= 5; n++) expect(intern.intern(`step ${n}`)).toBe(`step ${n}`);
    }
    expect(intern.size).toBe(5);
  });

  it("passes strings longer than its limit through without keeping them", () => {
    const intern = new StringIntern(8, 4);
    expect(intern.intern("short")).toBe("short");
    expect(intern.intern("tiny")).toBe("tiny");
    expect(intern.size).toBe(1);
  });

  it("never keeps more than its maximum of unique strings", () => {
    const intern = new StringIntern(10);
    for (let n = 0; n < 1000; n++) {
      expect(intern.intern(`file ${n}`)).toBe(`file ${n}`);
      expect(intern.size).toBeLessThanOrEqual(10);
    }
  });
});
