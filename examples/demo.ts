/**
 * FastestMCP demo (`npm start`): two tools called in-process, with live progress and logs.
 *
 * - `track` is the seed example: one synchronous chain on the progress helper.
 * - `build-report` is slow work in six steps. It reports progress ("how far along is this work?")
 *   and writes logs ("what just happened?").
 *
 * On a terminal the progress bar redraws in place. Piped (`npm start | cat`), each update prints
 * as a plain line.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { FastestMCP, type LogEntry, type ProgressUpdate } from "../src/index.js";

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
        await sleep(300 + (index % 2) * 50, undefined, { signal: ctx.signal }); // the "work"
        progress.increment();
        ctx.log.info(step.done, { step: index + 1 });
      }
      progress.setMessage("Report ready");
      return { region, file: "report.pdf", pages: 12 };
    },
    {
      description: "Builds a sales report in six steps.",
      inputSchema: z.object({ region: z.string().default("EMEA") }),
    },
  );

// ---------------------------------------------------------------------------------------------
// A small terminal renderer: one live line on a TTY, plain lines otherwise
// ---------------------------------------------------------------------------------------------

const BAR_WIDTH = 20;

/** `[██████████░░░░░░░░░░] 50% 3/6 Computing totals` */
function formatBar({ current, total, message }: ProgressUpdate): string {
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
  progress(update: ProgressUpdate): void {
    if (this.#live) {
      this.#bar = formatBar(update);
      this.#redraw();
    } else {
      this.#out.write(`${formatBar(update)}\n`);
    }
  }

  /** Prints a log entry on its own line, above the bar. */
  log(entry: LogEntry): void {
    this.print(`  ${entry.level}: ${entry.message}`);
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
// Calling the tools in-process
// ---------------------------------------------------------------------------------------------

const terminal = new Terminal();
const listeners = {
  onProgress: (update: ProgressUpdate) => terminal.progress(update),
  onLog: (entry: LogEntry) => terminal.log(entry),
};

terminal.print('track: one chained update, setTotal(3).increment().setMessage("Step 1")');
const tracked = await server.callTool("track", {}, listeners);
terminal.endBar();

terminal.print("\nbuild-report: six steps, with progress and logs");
const report = await server.callTool("build-report", { region: "EMEA" }, listeners);
terminal.endBar();

terminal.print("\nReturned values:");
terminal.print(`  track        → ${JSON.stringify(tracked)}`);
terminal.print(`  build-report → ${JSON.stringify(report)}`);
