import { describe, expect, it } from "vitest";
import { decodeTaskCursor, encodeTaskCursor } from "../../src/tasks/task-cursor.js";
import { fromBase64Url, toBase64Url } from "../../src/util/base64.js";

// Node's Buffer is the reference: cursors made before base64url moved to web-standard code must
// still decode, and new ones must look the same.
const SAMPLES = [
  "",
  "t",
  "t1",
  "t1:",
  "t1:0",
  "t1:42",
  "t1:9007199254740991",
  "héllo wörld",
  "🦀 + /?~",
  "a".repeat(1000),
];

describe("base64url without Buffer", () => {
  it.each(SAMPLES)("encodes %j as Node's Buffer does, and decodes it back", (text) => {
    const encoded = toBase64Url(text);
    expect(encoded).toBe(Buffer.from(text, "utf8").toString("base64url"));
    expect(fromBase64Url(encoded)).toBe(text);
  });

  it.each(["dDE6NQ==", "dDE+", "dDE/", "dDE6N!", "a", "dDE6NQ x"])(
    "refuses %j, which is not unpadded base64url",
    (text) => {
      expect(fromBase64Url(text)).toBeUndefined();
    },
  );

  it("keeps task cursors as they were, and refuses what they were not", () => {
    expect(encodeTaskCursor(5)).toBe(Buffer.from("t1:5").toString("base64url"));
    expect(decodeTaskCursor(Buffer.from("t1:17").toString("base64url"))).toBe(17);
    expect(() => decodeTaskCursor("dDE6N!")).toThrow(/Invalid cursor/);
    expect(() => decodeTaskCursor(toBase64Url("t2:5"))).toThrow(/Invalid cursor/);
  });
});
