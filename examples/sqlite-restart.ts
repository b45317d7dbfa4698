/**
 * Task state that outlives the process (`npx tsx examples/sqlite-restart.ts`): a server on a
 * SQLite task store starts two tasks, one finishes and one is halfway through its steps when the
 * process is killed (`kill -9`). A new process opens the same file and finds both: the finished
 * one with its result, the other with its stored progress, failed because its server stopped.
 *
 * The first process is a child of this one (`--child <file>`), so the kill is real.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { FastestMCP } from "../src/index.js";
import { SqliteTaskStore } from "../src/sqlite.js";

const STEPS = 10;

/** The server both processes run: `report` works through STEPS steps, or stops at `stopAt`. */
function server(store: SqliteTaskStore) {
  return FastestMCP.server("reports", { tasks: { store } }).addTool(
    "report",
    async ({ stopAt }, ctx) => {
      const progress = ctx.progress().setTotal(STEPS);
      for (let step = 1; step <= STEPS; step++) {
        if (step === Number(stopAt)) await new Promise(() => undefined); // stuck here until killed
        progress.increment().setMessage(`Section ${step} written`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return { pages: STEPS };
    },
    { task: true },
  );
}

if (process.argv[2] === "--child") {
  // The first process: start both tasks, say when the second one's progress is on disk.
  const store = new SqliteTaskStore({ path: process.argv[3] as string });
  const first = server(store);
  const done = await first.callTool("report", {}, { task: true });
  await first.awaitTask(done);
  const halfway = await first.callTool("report", { stopAt: 6 }, { task: true });
  const stop = first.onTaskEvent((event) => {
    if (event.type === "progress" && event.task.taskId === halfway.taskId && event.progress.current === 5) {
      stop();
      console.log(JSON.stringify({ done: done.taskId, halfway: halfway.taskId }));
    }
  });
  // The stuck handler holds no timer: keep the process up until the kill.
  setInterval(() => undefined, 60_000);
} else {
  const dir = mkdtempSync(join(tmpdir(), "fastestmcp-restart-"));
  const path = join(dir, "tasks.db");
  try {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1] as string, "--child", path], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
    const ids = JSON.parse(String(first.value)) as { done: string; halfway: string };
    console.log(`process ${child.pid}: one task finished, one at 5/${STEPS}; kill -9`);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;

    const store = new SqliteTaskStore({ path });
    const restarted = server(store);
    const done = await restarted.fetchTask(ids.done);
    const halfway = await restarted.fetchTask(ids.halfway);
    console.log(`restarted process ${process.pid} on the same file:`);
    console.log(`  finished task → ${done.status}, ${JSON.stringify(await restarted.awaitTask(ids.done))}`);
    console.log(
      `  halfway task  → ${halfway.status} ("${halfway.statusMessage}"), ` +
        `stored progress ${halfway.progress?.current}/${halfway.progress?.total} "${halfway.progress?.message}"`,
    );
    await restarted.close();
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
