import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastestMCP, HttpServerHandle } from "../../src/index.js";
import { progressServer } from "./fixtures/progress-server.js";

// The CLI on a real terminal: tmux runs it in a 100x30 pane, capture-pane reads the screen a
// person would see. A private tmux server (-L) keeps the test away from any other session.

const SOCKET = `fastestmcp-cli-${process.pid}`;
const CLI = `${process.execPath} --import tsx src/cli/main.ts`;

let server: FastestMCP;
let http: HttpServerHandle;

beforeAll(async () => {
  server = progressServer();
  http = await server.listen();
});
afterAll(async () => {
  try {
    execFileSync("tmux", ["-L", SOCKET, "kill-server"], { stdio: "ignore" });
  } catch {
    // No session left.
  }
  await http.close();
  await server.close();
});

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", SOCKET, ...args], { encoding: "utf8" });
}

/** Starts `command` in a new pane; the shell reports its exit code and keeps the pane open. */
function startPane(name: string, command: string): void {
  const script = `cd ${JSON.stringify(process.cwd())} && env -u NO_COLOR ${command}; echo "EXIT=$?"; sleep 600`;
  tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", script);
}

/** The pane's screen once it shows `pattern` (re-read as the CLI draws; the test timeout bounds it). */
async function screenWhen(name: string, pattern: RegExp): Promise<string> {
  for (;;) {
    const screen = tmux("capture-pane", "-p", "-t", name);
    if (pattern.test(screen)) return screen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("fastestmcp on a terminal (tmux)", () => {
  it("draws a live bar with %, current/total, elapsed, rate and message, and log lines above it", async () => {
    startPane("bar", `${CLI} call ${http.url} count steps=4 delayMs=400`);
    const running = await screenWhen("bar", /count \[█+░+\] 50% 2\/4/);
    // Mid-run: the log lines scroll above the one live bar line.
    const lines = running.split("\n").filter((line) => line.trim() !== "");
    expect(lines.at(-1)).toMatch(/^count \[█{12}░{12}\] 50% 2\/4 \d:\d\d [\d.]+\/s ETA \d:\d\d step 2 of 4$/);
    expect(lines.slice(0, -1)).toEqual(expect.arrayContaining(["log info [cli-fixture] counted 1"]));
    const done = await screenWhen("bar", /EXIT=0/);
    expect(done).toMatch(/^count \[█{24}\] 100% 4\/4 \d:\d\d [\d.]+\/s step 4 of 4$/m);
    expect(done).toMatch(/^counted 4$/m);
    // The bar was redrawn in place: it is on the screen once.
    expect(done.match(/^count \[/gm)).toHaveLength(1);
  });

  it("Ctrl-C on a stdio server's task cancels it there and exits 130", async () => {
    startPane("ctrlc", `${CLI} call wait --task -- ${CLI} run test/cli/fixtures/progress-server.ts --stdio`);
    await screenWhen("ctrlc", /waiting for Ctrl-C/);
    tmux("send-keys", "-t", "ctrlc", "C-c");
    const screen = await screenWhen("ctrlc", /EXIT=\d+/);
    // The terminal's SIGINT reached the CLI only (the server runs in its own process group),
    // so the server was still there to take the tasks/cancel.
    expect(screen).toMatch(/^task \S+ cancelled Cancelled by request\.$/m);
    expect(screen).toMatch(/EXIT=130/);
  });
});
