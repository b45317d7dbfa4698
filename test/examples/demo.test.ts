import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("npm start (examples/demo.ts)", () => {
  it("serves over HTTP with the dashboard, shows the task returning at once, its progress mid-run and at the end, and prints plain lines when piped", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/demo.ts", "--once"], {
      // Steps long enough that the mid-run tasks/get lands mid-run on a loaded machine too (at
      // 10 ms a step the whole task could end between "half done" and the read).
      env: { ...process.env, DEMO_STEP_MS: "200" },
      timeout: 30_000,
    });
    expect(stdout).toMatch(/FastestMCP is serving http:\/\/127\.0\.0\.1:\d+\/mcp/);
    expect(stdout).toMatch(/Live task dashboard: http:\/\/127\.0\.0\.1:\d+\/dashboard/);
    expect(stdout).toContain("33% 1/3 Step 1");
    // The task call answers at once, with the task still working; tasks/get mid-run sees it working.
    expect(stdout).toMatch(/tools\/call returned in \d+ ms: task [0-9a-f-]{36}, status working/);
    expect(stdout).toMatch(/tasks\/get mid-run → status working; stored progress .* [3-5]\/6 /);
    expect(stdout).toContain("100% 6/6 Report ready");
    expect(stdout).toContain("info: Wrote report.pdf (12 pages)");
    expect(stdout).toContain('track        → {"current":1,"total":3,"message":"Step 1"}');
    expect(stdout).toMatch(/fetchTask {4}→ status completed, progress \{"current":6/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that no escape codes leak into piped output.
    expect(stdout).not.toMatch(/\x1b\[/);
  }, 40_000);
});
