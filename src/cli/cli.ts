import { type Command, parseCommand } from "./args.js";
import { call } from "./commands/call.js";
import { inspect } from "./commands/inspect.js";
import { run } from "./commands/run.js";
import { tasks } from "./commands/tasks.js";
import { worker } from "./commands/worker.js";
import { EXIT, exitCodeOf, UsageError } from "./exit-codes.js";
import { helpText } from "./help.js";
import type { CliIo } from "./io.js";
import { cliVersion } from "./version.js";

/**
 * Runs one `fastestmcp` command line and resolves with its exit code; never throws. Errors are
 * one line on stderr (`error: …`), no stack: a usage error adds the hint to `--help`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
    return await dispatch(command, io);
  } catch (error) {
    const code = io.interrupt.aborted ? EXIT.interrupted : exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`error: ${message}\n`);
    if (error instanceof UsageError) io.stderr.write("Run fastestmcp --help for the usage.\n");
    return code;
  }
}

function dispatch(command: Command, io: CliIo): Promise<number> {
  switch (command.name) {
    case "help":
      io.stdout.write(helpText(command.topic));
      return Promise.resolve(EXIT.ok);
    case "version":
      io.stdout.write(`${cliVersion()}\n`);
      return Promise.resolve(EXIT.ok);
    case "call":
      return call(command, io);
    case "tasks":
      return tasks(command, io);
    case "inspect":
      return inspect(command, io);
    case "run":
      return run(command, io);
    case "worker":
      return worker(command, io);
  }
}
