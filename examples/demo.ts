/**
 * FastestMCP demo (`npm start`): a server on http://127.0.0.1:4100/mcp with its live task
 * dashboard on /dashboard, and our client talking to it over Streamable HTTP, with live progress bars.
 *
 * - `track` is the seed example, called as an immediate request.
 * - `build-report` is slow work in six steps, run as a background task: the call returns the
 *   task at once (`working`), its progress keeps arriving, `tasks/get` answers mid-run, and the
 *   server has the latest progress stored on the task record (`fetchTask`). Open the dashboard
 *   URL in a browser to watch it there too.
 *
 * Then the server keeps serving until Ctrl-C, so you can connect another client. On a terminal
 * the bars redraw in place; piped (`npm start | cat`) every update is a plain line.
 * `npm start -- --once` exits after the demo.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import {
  Client,
  FastestMCP,
  type HttpServerHandle,
  type LogMessage,
  type ProgressEvent,
} from "../src/index.js";

const STEP_MS = Number(process.env.DEMO_STEP_MS ?? 300);
const ONCE = process.argv.includes("--once");

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

const STEPS = [
  { doing: "Fetching orders", done: "Fetched 1,204 orders" },
  { doing: "Fetching refunds", done: "Fetched 37 refunds" },
  { doing: "Joining customer records", done: "Matched 1,167 customers" },
  { doing: "Computing totals", done: "Revenue is 84,310.50 EUR" },
  { doing: "Rendering charts", done: "Rendered 4 charts" },
  { doing: "Writing the PDF", done: "Wrote report.pdf (12 pages)" },
];

const server = FastestMCP.server("demo", { version: "1.0.0" })
  .addTool(
    "track",
    (_args, ctx) => {
      const progress = ctx.progress().setTotal(3).increment().setMessage("Step 1");
      return { current: progress.current, total: progress.total, message: progress.message };
    },
    { description: "Marks step 1 of 3 done and returns the progress state.", task: true },
  )
  .addTool(
    "build-report",
    async ({ region }, ctx) => {
      // Low level: we already know all three values, so we report them directly.
      await ctx.reportProgress(0, STEPS.length, `Planning the ${region} report`);

      // The helper works on the same state as reportProgress, so its total is already 6.
      const progress = ctx.progress();
      for (const [index, step] of STEPS.entries()) {
        progress.setMessage(step.doing);
        await sleep(STEP_MS + (index % 2) * (STEP_MS / 6), undefined, { signal: ctx.signal }); // the "work"
        progress.increment();
        ctx.log.info(step.done, { step: index + 1 });
      }
      progress.setMessage("Report ready");
      return { region, file: "report.pdf", pages: 12 };
    },
    {
      description: "Builds a sales report in six steps.",
      inputSchema: z.object({ region: z.string().default("EMEA") }),
      task: true,
    },
  );

// ---------------------------------------------------------------------------------------------
// A small terminal renderer: one live line on a TTY, plain lines otherwise
// ---------------------------------------------------------------------------------------------

const BAR_WIDTH = 20;

/** What a bar shows. */
interface BarState {
  current: number;
  total?: number | undefined;
  message?: string | undefined;
}

/** `[██████████░░░░░░░░░░] 50% 3/6 Computing totals` */
function formatBar({ current, total, message }: BarState): string {
  const ratio = total ? Math.min(current / total, 1) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  const bar = `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}]`;
  const amount = total === undefined ? `${current}` : `${Math.floor(ratio * 100)}% ${current}/${total}`;
  return message === undefined ? `${bar} ${amount}` : `${bar} ${amount} ${message}`;
}

class Terminal {
  readonly #out = process.stdout;
  readonly #live = process.stdout.isTTY === true;
  /** The bar line on screen (TTY only), redrawn after every line printed above it. */
  #bar = "";

  /** Shows a progress update: redraws the bar on a TTY, prints a line otherwise. */
  progress(update: BarState): void {
    if (this.#live) {
      this.#bar = formatBar(update);
      this.#redraw();
    } else {
      this.#out.write(`${formatBar(update)}\n`);
    }
  }

  /** Prints a log message on its own line, above the bar. */
  log(entry: LogMessage): void {
    const { data } = entry;
    const text =
      typeof data === "string"
        ? data
        : typeof data === "object" && data !== null && "message" in data && typeof data.message === "string"
          ? data.message
          : JSON.stringify(data);
    this.print(`  ${entry.level}: ${text}`);
  }

  /** Prints a line of text above the bar. */
  print(text: string): void {
    if (this.#live) {
      this.#out.write(`\r\x1b[2K${text}\n`); // clear the bar's line, print, then draw the bar again below
      this.#redraw();
    } else {
      this.#out.write(`${text}\n`);
    }
  }

  /** Leaves the bar where it is and starts a fresh line for what comes next. */
  endBar(): void {
    if (this.#live && this.#bar !== "") this.#out.write("\n");
    this.#bar = "";
  }

  #redraw(): void {
    if (this.#bar === "") return;
    const width = (this.#out.columns ?? 80) - 1; // a wrapped line could not be redrawn with \r
    this.#out.write(`\r\x1b[2K${this.#bar.slice(0, width)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Serving over HTTP, and calling the tools with our client
// ---------------------------------------------------------------------------------------------

async function listen(): Promise<HttpServerHandle> {
  try {
    return await server.listen({ port: 4100, dashboard: true });
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "EADDRINUSE")) throw error;
    return server.listen({ port: 0, dashboard: true }); // 4100 is taken: any free port
  }
}

const terminal = new Terminal();
const http = await listen();
terminal.print(`FastestMCP is serving ${http.url}`);
terminal.print(`Live task dashboard: ${http.dashboardUrl} (open it in a browser)`);

const finished = new Map<string, () => void>();
const client = await Client.connect(http.url, {
  clientInfo: { name: "demo-client", version: "1.0.0" },
  // A 2025-11-25 session: it owns the task, which fetchTask names below by its id, and pushes
  // progress as it happens. ("auto", the default, speaks 2026-07-28 here: see docs/client.md.)
  protocolVersion: "2025-11-25",
  logHandler: (entry) => terminal.log(entry),
  // Status changes ride the session's GET stream after the task's last progress and logs.
  taskStatusHandler: (task) => {
    if (task.status === "completed" || task.status === "failed" || task.status === "cancelled")
      finished.get(task.taskId)?.();
  },
});
const toBar = (event: ProgressEvent): BarState => ({
  current: event.progress,
  total: event.total,
  message: event.message,
});

terminal.print('\ntrack (an immediate call): setTotal(3).increment().setMessage("Step 1")');
const tracked = await client.callTool(
  "track",
  {},
  { onProgress: (event) => terminal.progress(toBar(event)) },
);
terminal.endBar();

terminal.print("\nbuild-report (a background task): six steps, with progress and logs");
let halfway: () => void = () => undefined;
const reachedHalf = new Promise<void>((resolve) => {
  halfway = resolve;
});
const started = performance.now();
const task = await client.callTool(
  "build-report",
  { region: "EMEA" },
  {
    task: true,
    onProgress: (event) => {
      terminal.progress(toBar(event));
      if (event.progress >= 3) halfway();
    },
  },
);
// The call answered as soon as the task existed: the work runs on in the background.
terminal.print(
  `  tools/call returned in ${Math.round(performance.now() - started)} ms: task ${task.taskId}, status ${task.created.status}`,
);
const done = new Promise<void>((resolve) => {
  finished.set(task.taskId, resolve);
  setTimeout(resolve, 2000).unref(); // a server that sends no status notifications
});

// Mid-run: what a client can ask over the wire (tasks/get): the status and the progress the
// server stored on the task record (a FastestMCP server reports it; `progress` is that).
await reachedHalf;
const midRun = await client.getTask(task.taskId);
terminal.print(
  `  tasks/get mid-run → status ${midRun.status}; stored progress ${formatBar(midRun.progress ?? { current: 0 })}`,
);

const report = await task.result();
await done; // the result came on another stream: let the last progress and logs arrive first
terminal.endBar();

// The task record kept the latest progress. In-process, the server reads it for the task's owner:
// without auth, the session that started it (the client's session id).
const stored = await server.fetchTask(task.taskId, { owner: client.sessionId ?? "" });

terminal.print("\nResults:");
terminal.print(`  track        → ${JSON.stringify(tracked.structuredContent)}`);
terminal.print(`  build-report → ${JSON.stringify(report.structuredContent)}`);
terminal.print(`  fetchTask    → status ${stored.status}, progress ${JSON.stringify(stored.progress)}`);

async function stop(): Promise<void> {
  await client.close();
  await http.close();
  await server.close();
}

if (ONCE) {
  await stop();
} else {
  terminal.print(`\nStill serving ${http.url}. Watch its tasks on ${http.dashboardUrl}`);
  terminal.print("Connect another MCP client, for example:");
  terminal.print(`  npx @modelcontextprotocol/inspector   (transport: Streamable HTTP, URL: ${http.url})`);
  terminal.print("Press Ctrl-C to stop.");
  process.once("SIGINT", () => {
    terminal.print("\nStopping.");
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
