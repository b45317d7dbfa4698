const MAIN = `fastestmcp: call MCP tools with live progress bars, watch tasks, inspect and run servers.

Usage:
  fastestmcp call <url> <tool> [key=value ...] [--json '{...}'] [--task] [--output json]
  fastestmcp call <tool> [key=value ...] [flags] -- <command to start a stdio server ...>
  fastestmcp call [flags] -- <stdio server command ...> <tool> [key=value ...]
  fastestmcp tasks <url> [list | get <id> | watch [<id>] | cancel <id>]
  fastestmcp inspect <url>
  fastestmcp run <file> [--http [--port N] [--host H] [--dashboard] | --stdio]
  fastestmcp worker <file> [--concurrency N]

Every <url> form also takes "-- <command ...>" instead, to launch the server over stdio.

Flags:
  --json '{...}'        tool arguments as JSON (key=value words override its keys)
  --task                run the call as a background task and show its status transitions
  -o, --output json     print the result (or task list) as JSON on stdout, for scripts
  -H, --header 'N: v'   an HTTP header on every request (repeatable), e.g. authorization
  --protocol-version V  the MCP revision: 2025-11-25 (default), 2026-07-28, or auto (discover, then fall back)
  --timeout <ms>        give up when the call is idle (no answer, no progress) this long (default: never)
  --plain               plain lines even on a terminal (also: not a TTY, NO_COLOR, TERM=dumb, < 40 columns)
  -h, --help            this help; -v, --version

Exit codes: 0 success, 1 the tool reported an error (isError) or the task failed,
2 usage error, 3 connection or protocol error, 130 interrupted (Ctrl-C cancels the call or task).

See docs/cli.md.
`;

const TOPICS: Record<string, string> = {
  call: `fastestmcp call <url> <tool> [key=value ...] [--json '{...}'] [--task] [--output json] [--timeout ms]
fastestmcp call <tool> [key=value ...] [flags] -- <stdio server command ...>
fastestmcp call [flags] -- <stdio server command ...> <tool> [key=value ...]

With no tool before --, the last word of the command that is not key=value is the tool.
key=value words are coerced by the tool's input schema: numbers, booleans, arrays (a,b or JSON)
and objects (JSON). On a terminal the call shows a live progress bar with the server's log lines
above it; piped, one plain line per update. The result's content goes to stdout.
Ctrl-C cancels the call (or, with --task, the task) on the server and exits 130.
`,
  tasks: `fastestmcp tasks <url> [list | get <id> | watch [<id>] | cancel <id>] [--output json]

Tasks belong to their owner: an authenticated identity (pass its token with --header), or else
the session that created them, which a new CLI process is not.
watch follows every task (or one) until it ends: status notifications, with tasks/get polling as fallback.
`,
  inspect: `fastestmcp inspect <url> [--output json]

Server info, protocol version, session, capabilities, instructions, tools with their input
schemas, resources, resource templates and prompts.
`,
  run: `fastestmcp run <file> [--http [--port N] [--host H] [--dashboard] [--dashboard-path P] | --stdio]

Serves the FastestMCP server a module exports (default export, or an export named "server").
--http (default) listens on 127.0.0.1 (port 0: any free port) and prints the URL; --stdio serves
stdin/stdout. TypeScript files load through tsx (npm install -D tsx) when it is installed.
`,
  worker: `fastestmcp worker <file> [--concurrency N]

Runs the background tasks of the job queue of the server a module exports (its backend's queue:
redisBackend({ url, queue }), see docs/queue.md), without serving any transport, until Ctrl-C
(SIGINT); then waits for the running jobs (up to the queue's closeTimeoutMs) and exits 130.
--concurrency: jobs run at once (default: the queue's concurrency option).
`,
};

/** The help text for `topic` (a command), or the overview. */
export function helpText(topic?: string): string {
  return (topic === undefined ? undefined : TOPICS[topic]) ?? MAIN;
}
