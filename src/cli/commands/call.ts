import type { Client, RemoteTaskState, ToolDefinition } from "../../index.js";
import type { Command } from "../args.js";
import { toolArguments } from "../coerce.js";
import { EXIT, UsageError } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { chooseRenderer, type Renderer } from "../renderer.js";
import { printResult } from "../result-output.js";
import { connectTarget, formatLog } from "../target.js";
import { followTask } from "./task-follow.js";

type CallCommand = Extract<Command, { name: "call" }>;

/**
 * `fastestmcp call`: one tool call with a live progress bar (stderr) and its result (stdout), or
 * with `--task` a background task whose status transitions it prints. Returns the exit code.
 */
export async function call(command: CallCommand, io: CliIo): Promise<number> {
  const renderer = chooseRenderer(io.stderr, io.env, command.plain);
  const statusFeed: { listener?: ((state: RemoteTaskState) => void) | undefined } = {};
  let client: Client | undefined;
  try {
    client = await connectTarget(command.target, {
      logHandler: (message) => renderer.line(formatLog(message)),
      taskStatusHandler: (state) => statusFeed.listener?.(state),
    });
    const tool = await findTool(client, command.tool);
    const args = toolArguments(tool.inputSchema, command.json, command.assignments);
    // 2026-07-28 lists no task support (the server decides per call): nothing to check up front.
    // Revisions are dates: an ISO date compares as the date does.
    const stateless = (client.protocolVersion ?? "") >= "2026-07-28";
    const support = stateless ? "optional" : (tool.execution?.taskSupport ?? "forbidden");
    if (command.task && support === "forbidden") {
      throw new UsageError(`The tool "${tool.name}" does not run as a task (taskSupport: forbidden).`);
    }
    if (!command.task && support === "required") {
      throw new UsageError(`The tool "${tool.name}" runs only as a task: add --task.`);
    }
    if (command.task) return await callAsTask(client, tool.name, args, command, io, renderer, statusFeed);
    const result = await client.callTool(tool.name, args, {
      signal: io.interrupt,
      timeout: command.timeout,
      onProgress: (event) => renderer.progress("call", tool.name, event),
    });
    renderer.finish("call");
    if (result.isError === true) renderer.line(`error ${tool.name} reported an error`);
    printResult(io.stdout, result as unknown as Record<string, unknown>, command.output);
    return result.isError === true ? EXIT.toolError : EXIT.ok;
  } catch (error) {
    // The client rejects an aborted call with CancelledError once it sent notifications/cancelled.
    if (!io.interrupt.aborted) throw error;
    renderer.line(`cancelled ${command.tool}`);
    return EXIT.interrupted;
  } finally {
    renderer.close();
    await client?.close();
  }
}

async function callAsTask(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  command: CallCommand,
  io: CliIo,
  renderer: Renderer,
  statusFeed: { listener?: ((state: RemoteTaskState) => void) | undefined },
): Promise<number> {
  let taskId: string | undefined;
  const task = await client.callTool(name, args, {
    task: true,
    signal: io.interrupt,
    timeout: command.timeout,
    onProgress: (event) => renderer.progress(taskId ?? "task", `${name}`, event),
  });
  taskId = task.taskId;
  const outcome = await followTask(client, task, renderer, io, statusFeed);
  if (outcome.kind === "interrupted") return EXIT.interrupted;
  if (outcome.kind === "ended") return EXIT.toolError;
  printResult(io.stdout, outcome.result as unknown as Record<string, unknown>, command.output);
  const failed = outcome.result.isError === true || (outcome.state?.status ?? "completed") !== "completed";
  return failed ? EXIT.toolError : EXIT.ok;
}

/** The tool's definition, from `tools/list` (every page). */
async function findTool(client: Client, name: string): Promise<ToolDefinition> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor });
    const tool = page.tools.find((candidate) => candidate.name === name);
    if (tool !== undefined) return tool;
    names.push(...page.tools.map((candidate) => candidate.name));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  throw new UsageError(`The server has no tool "${name}" (it has: ${names.join(", ") || "none"}).`);
}
