import { describe, expect, it } from "vitest";
import { barLine, formatDuration, rateAndEta } from "../../src/cli/progress-format.js";
import { chooseRenderer } from "../../src/cli/renderer.js";
import { TtyRenderer } from "../../src/cli/tty-renderer.js";
import { Captured } from "./cli-harness.js";

describe("progress formatting", () => {
  it("formats durations as m:ss and h:mm:ss", () => {
    expect([formatDuration(0), formatDuration(65_000), formatDuration(3_723_000)]).toEqual([
      "0:00",
      "1:05",
      "1:02:03",
    ]);
  });

  it("computes the rate since the first sample and the ETA from it", () => {
    const state = { label: "t", progress: 30, total: 100, startedAt: 0, first: { at: 0, progress: 10 } };
    expect(rateAndEta(state, 10_000)).toEqual({ rate: 2, etaMs: 35_000 });
    expect(rateAndEta({ ...state, first: undefined }, 10_000)).toEqual({});
  });

  it("draws bar, percent, current/total, elapsed, rate, ETA and message, cut to the width", () => {
    const state = {
      label: "build",
      progress: 3,
      total: 6,
      message: "Computing totals",
      startedAt: 0,
      first: { at: 0, progress: 0 },
    };
    expect(barLine(state, 3000, 200)).toBe(
      "build [████████████░░░░░░░░░░░░] 50% 3/6 0:03 1/s ETA 0:03 Computing totals",
    );
    const cut = barLine(state, 3000, 40);
    expect(cut).toHaveLength(40);
    expect(cut.endsWith("…")).toBe(true);
  });
});

describe("chooseRenderer", () => {
  it("is live only on a wide terminal without NO_COLOR or TERM=dumb", () => {
    const tty = new Captured(true, 100);
    expect(chooseRenderer(tty, {})).toBeInstanceOf(TtyRenderer);
    for (const [stream, env, plain] of [
      [new Captured(false), {}, false],
      [tty, { NO_COLOR: "1" }, false],
      [tty, { TERM: "dumb" }, false],
      [new Captured(true, 39), {}, false],
      [tty, {}, true],
    ] as const) {
      expect(chooseRenderer(stream, env, plain)).not.toBeInstanceOf(TtyRenderer);
    }
  });
});

describe("TtyRenderer", () => {
  it("redraws its bars in place and prints lines above them", () => {
    const out = new Captured(true, 80);
    let now = 0;
    const renderer = new TtyRenderer(out, () => now);
    renderer.progress("a", "a", { progress: 1, total: 2 });
    renderer.progress("b", "b", { progress: 1, total: 4 });
    now = 1000;
    renderer.line("log info hello");
    renderer.finish("a");
    renderer.close();
    // Two bars drawn, then: back up one line, clear to the end, the log line, both bars again.
    expect(out.text).toContain("\r\x1b[1A\x1b[Jlog info hello\na [");
    expect(out.text.startsWith("\x1b[?25l")).toBe(true);
    expect(out.text.endsWith("\x1b[?25h")).toBe(true);
  });
});
