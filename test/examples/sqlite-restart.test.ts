import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("examples/sqlite-restart.ts", () => {
  it("shows a finished task and a task's stored progress surviving a kill -9 and a restart", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/sqlite-restart.ts"], {
      timeout: 30_000,
    });
    expect(stdout).toMatch(/process \d+: one task finished, one at 5\/10; kill -9/);
    expect(stdout).toContain('finished task → completed, {"pages":10}');
    expect(stdout).toContain(
      'halfway task  → failed ("The server stopped before it finished."), stored progress 5/10 "Section 5 written"',
    );
  }, 40_000);
});
