import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastestMCP, HttpServerHandle, TaskEvent } from "../../src/index.js";
import { cli, startCli } from "./cli-harness.js";
import { progressServer } from "./fixtures/progress-server.js";

let server: FastestMCP;
let http: HttpServerHandle;
let url: string;
const events: TaskEvent[] = [];

beforeAll(async () => {
  server = progressServer();
  server.onTaskEvent((event) => events.push(event));
  http = await server.listen();
  url = http.url;
});
afterAll(async () => {
  await http.close();
  await server.close();
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: plain output must carry no escape codes.
const ESCAPE = /\x1b/;

describe("fastestmcp call (plain output, exit codes)", () => {
  it("prints greppable progress and log lines on stderr, the result on stdout, and exits 0", async () => {
    const { code, stdout, stderr } = await cli(["call", url, "count", "steps=3", "label=done"]);
    expect(code).toBe(0);
    expect(stdout).toBe("done 3\n");
    expect(stderr).toMatch(/^progress count 100% 3\/3 step 3 of 3$/m);
    expect(stderr).toMatch(/^log info \[cli-fixture\] counted 3$/m);
    expect(stderr).not.toMatch(ESCAPE);
  });

  it("plain lines even on a terminal when NO_COLOR is set, or the terminal is narrow", async () => {
    const noColor = await cli(["call", url, "count", "steps=1"], { tty: true, env: { NO_COLOR: "1" } });
    expect(noColor.stderr).toMatch(/^progress count 100% 1\/1 step 1 of 1$/m);
    expect(noColor.stderr).not.toMatch(ESCAPE);
    const narrow = await cli(["call", url, "count", "steps=1"], { tty: true, columns: 30 });
    expect(narrow.stderr).not.toMatch(ESCAPE);
  });

  it("coerces key=value words by the tool's input schema", async () => {
    const argv = ["call", url, "types", "n=3", "flag=yes", "tags=a,b", 'obj={"a":1}', "maybe=null"];
    const { code, stdout } = await cli(argv);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ n: 3, flag: true, tags: ["a", "b"], obj: { a: 1 }, maybe: null });
  });

  it("--json gives the arguments, key=value words override them", async () => {
    const { stdout } = await cli(["call", url, "types", "--json", '{"n":1,"tags":["x"]}', "n=2"]);
    expect(JSON.parse(stdout)).toEqual({ n: 2, tags: ["x"] });
  });

  it("--output json prints the whole CallToolResult for scripts", async () => {
    const { code, stdout } = await cli(["call", url, "count", "steps=1", "--output", "json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ content: [{ type: "text", text: "counted 1" }] });
  });

  it("exits 1 when the tool answers isError, with its message on stdout", async () => {
    const { code, stdout } = await cli(["call", url, "fail"]);
    expect(code).toBe(1);
    expect(stdout).toBe("the tool failed on purpose\n");
  });

  it.each([
    ["an unknown command", ["frobnicate", url]],
    ["an unknown flag", ["call", url, "count", "--bogus"]],
    ["no target", ["call", "count"]],
    ["a tool the server does not have", ["call", url, "nope"]],
    ["a value the schema refuses", ["call", url, "count", "steps=many"]],
    ["a missing required argument", ["call", url, "count"]],
    ["--task for a tool without task support", ["call", url, "fail", "--task"]],
    ["a task-only tool without --task", ["call", url, "only-task"]],
  ])("exits 2 on a usage error: %s", async (_name, argv) => {
    const { code, stderr } = await cli(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: .+\nRun fastestmcp --help for the usage\.\n$/);
  });

  it("exits 3 when the server cannot be reached", async () => {
    const { code, stderr } = await cli(["call", "http://127.0.0.1:9/mcp", "count", "steps=1"]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^error: Could not reach the MCP server/);
  });

  it("Ctrl-C cancels the call on the server (notifications/cancelled) and exits 130", async () => {
    const run = startCli(["call", url, "wait"]);
    await run.stderr.waitFor(/progress wait 50% 1\/2 waiting for Ctrl-C/);
    run.interrupt();
    expect(await run.done).toBe(130);
    expect(run.stderr.text).toMatch(/^cancelled wait$/m);
  });
});

describe("fastestmcp call --task", () => {
  it("prints the task's status transitions, its progress, and the result", async () => {
    const { code, stdout, stderr } = await cli(["call", url, "count", "steps=2", "--task"]);
    expect(code).toBe(0);
    expect(stdout).toBe("counted 2\n");
    const lines = stderr.split("\n").filter((line) => line.startsWith("task "));
    expect(lines).toEqual([
      expect.stringMatching(/^task \S+ working$/),
      expect.stringMatching(/^task \S+ completed/),
    ]);
    expect(stderr).toMatch(/^progress count 100% 2\/2 step 2 of 2$/m);
  });

  it("runs the task on 2026-07-28 with --protocol-version: the same transitions, the polled progress and the result", async () => {
    const { code, stdout, stderr } = await cli([
      "call",
      url,
      "count",
      "steps=2",
      "--task",
      "--protocol-version",
      "2026-07-28",
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe("counted 2\n");
    const lines = stderr.split("\n").filter((line) => line.startsWith("task "));
    expect(lines).toEqual([
      expect.stringMatching(/^task \S+ working$/),
      expect.stringMatching(/^task \S+ completed/),
    ]);
    expect(stderr).toMatch(/^progress count 100% 2\/2 step 2 of 2$/m);
  });

  it("Ctrl-C cancels the task on the server (tasks/cancel) and exits 130", async () => {
    const run = startCli(["call", url, "wait", "--task"]);
    const [, taskId] = await run.stderr.waitFor(/^task (\S+) working$/m);
    run.interrupt();
    expect(await run.done).toBe(130);
    expect(run.stderr.text).toMatch(new RegExp(`^task ${taskId} cancelled Cancelled by request\\.$`, "m"));
    // Cancelled by the CLI's tasks/cancel, not by the session ending afterwards.
    const cancelled = events.find(
      (event) => event.task.taskId === taskId && event.task.status === "cancelled",
    );
    expect(cancelled?.task.statusMessage).toBe("Cancelled by request.");
  });
});
