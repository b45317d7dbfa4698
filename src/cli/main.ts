#!/usr/bin/env node
/**
 * The `fastestmcp` command (package.json "bin"): wires the process (streams, environment,
 * SIGINT) to {@link runCli}. The first Ctrl-C asks the running command to cancel its work on
 * the server and exit 130; a second one exits at once.
 * @packageDocumentation
 */
import { runCli } from "./cli.js";
import { EXIT } from "./exit-codes.js";

const interrupt = new AbortController();
process.on("SIGINT", () => {
  if (interrupt.signal.aborted) {
    if (process.stderr.isTTY) process.stderr.write("\x1b[?25h"); // the cursor a live bar hid
    process.exit(EXIT.interrupted);
  }
  interrupt.abort();
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  interrupt: interrupt.signal,
});
process.exitCode = code;
