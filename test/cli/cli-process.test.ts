import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastestMCP, HttpServerHandle, TaskEvent } from "../../src/index.js";
import { Captured, cli } from "./cli-harness.js";
import { progressServer } from "./fixtures/progress-server.js";

// The CLI as a real process: signals, `run`, and stdio servers (this file runs in the heavy project).

const CLI = [process.execPath, "--import", "tsx", "src/cli/main.ts"];
const FIXTURE = "test/cli/fixtures/progress-server.ts";

let server: FastestMCP;
let http: HttpServerHandle;
const events: TaskEvent[] = [];

beforeAll(async () => {
  server = progressServer();
  server.onTaskEvent((event) => events.push(event));
  http = await server.listen();
});
afterAll(async () => {
  await http.close();
  await server.close();
});

/** `fastestmcp <argv>` as a child process, its stderr captured for waiting. */
function spawnCli(argv: string[]): { child: ChildProcess; stderr: Captured; exit: Promise<number | null> } {
  const [command, ...args] = CLI as [string, ...string[]];
  const child = spawn(command, [...args, ...argv], { stdio: ["ignore", "ignore", "pipe"] });
  const stderr = new Captured();
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => stderr.write(chunk));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, stderr, exit };
}

describe("fastestmcp as a process", () => {
  it("SIGINT cancels the task on the server (tasks/cancel) and exits 130", async () => {
    const run = spawnCli(["call", http.url, "wait", "--task"]);
    const [, taskId] = await run.stderr.waitFor(/^task (\S+) working$/m);
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(130);
    expect(run.stderr.text).toMatch(/^task \S+ cancelled Cancelled by request\.$/m);
    const cancelled = events.find(
      (event) => event.task.taskId === taskId && event.task.status === "cancelled",
    );
    expect(cancelled?.task.statusMessage).toBe("Cancelled by request.");
  });

  it("run --http serves the module's server until SIGINT (exit 130)", async () => {
    const run = spawnCli(["run", FIXTURE, "--http", "--port", "0"]);
    const [, url] = await run.stderr.waitFor(/FastestMCP is serving (\S+)\n/);
    const called = await cli(["call", url as string, "count", "steps=2"]);
    expect(called).toMatchObject({ code: 0, stdout: "counted 2\n" });
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(130);
  });

  it("run --dashboard serves the task dashboard next to the endpoint and prints its URL", async () => {
    const run = spawnCli(["run", FIXTURE, "--port", "0", "--dashboard", "--dashboard-path", "/board"]);
    const [, page] = await run.stderr.waitFor(/Dashboard: (\S+)\n/);
    expect(new URL(page as string).pathname).toBe("/board");
    const response = await fetch(page as string);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<!doctype html>");
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(130);
  });

  it("run --stdio serves the module's server on stdio, as a stdio target of call and inspect", async () => {
    const serve = [...CLI, "run", FIXTURE, "--stdio"];
    const called = await cli(["call", "count", "steps=2", "--task", "--", ...serve]);
    expect(called.code).toBe(0);
    expect(called.stdout).toBe("counted 2\n");
    expect(called.stderr).toMatch(/^task \S+ completed/m);
    const inspected = await cli(["inspect", "--", ...serve]);
    expect(inspected.stdout).toContain("server: cli-fixture 1.2.3");
    expect(inspected.stdout).not.toContain("session:");
  });

  it("calls an official SDK server over stdio, with its progress", async () => {
    const called = await cli([
      "call",
      "ticks",
      "steps=2",
      "--",
      process.execPath,
      "--import",
      "tsx",
      "test/cli/fixtures/sdk-stdio-server.ts",
    ]);
    expect(called.code).toBe(0);
    expect(called.stdout).toBe("ticked 2\n");
    expect(called.stderr).toMatch(/^progress ticks 100% 2\/2$/m);
  });

  it("run refuses a module that exports no server, and a missing file (exit 2)", async () => {
    const noServer = spawnCli(["run", "test/cli/fixtures/no-server.ts"]);
    expect(await noServer.exit).toBe(2);
    expect(noServer.stderr.text).toMatch(/exports no FastestMCP server/);
    const missing = spawnCli(["run", "test/cli/fixtures/missing.ts"]);
    expect(await missing.exit).toBe(2);
    expect(missing.stderr.text).toMatch(/No such file/);
  });
});
