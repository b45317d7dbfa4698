import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../src/protocol/line-splitter.js";

function splitter(maxLineBytes = 1024) {
  const lines: string[] = [];
  const overflows: number[] = [];
  const split = new LineSplitter(maxLineBytes, {
    onLine: (line) => lines.push(line),
    onOverflow: (max) => overflows.push(max),
  });
  return { split, lines, overflows };
}

const encoder = new TextEncoder();

describe("LineSplitter", () => {
  it("splits many lines of one chunk and keeps the unfinished tail for the next", () => {
    const { split, lines } = splitter();
    split.push(encoder.encode("a\nbb\r\nccc"));
    expect(lines).toEqual(["a", "bb\r"]);
    split.push(encoder.encode("c\n"));
    expect(lines).toEqual(["a", "bb\r", "cccc"]);
  });

  it("keeps a multi-byte character cut between chunks intact", () => {
    const { split, lines } = splitter();
    for (const byte of encoder.encode("€ ✓ 😀\n")) split.push(Uint8Array.of(byte));
    expect(lines).toEqual(["€ ✓ 😀"]);
  });

  it("drops a line over the limit up to its newline and reports it once", () => {
    const { split, lines, overflows } = splitter(4);
    split.push(encoder.encode("12"));
    split.push(encoder.encode("345678"));
    split.push(encoder.encode("9\nok\n"));
    expect(overflows).toEqual([4]);
    expect(lines).toEqual(["ok"]);
  });

  it("hands over a last line without a newline at the end of input", () => {
    const { split, lines } = splitter();
    split.push(encoder.encode("x\ny"));
    split.end();
    expect(lines).toEqual(["x", "y"]);
  });

  it("stops reading a chunk when its owner stops accepting", () => {
    const lines: string[] = [];
    const split = new LineSplitter(1024, {
      onLine: (line) => lines.push(line),
      onOverflow: () => undefined,
      accepting: () => lines.length < 2,
    });
    split.push(encoder.encode("1\n2\n3\n"));
    expect(lines).toEqual(["1", "2"]);
  });
});
