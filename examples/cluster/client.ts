/**
 * A client for the cluster example: `node --import tsx examples/cluster/client.ts [url …]`.
 *
 * - One URL (a load balancer: `http://localhost:8080/mcp` with compose.yaml): every request goes there.
 * - Several (default: the three local instances of README.md, ports 4101 to 4103): the client
 *   sends each HTTP request to the next one in turn, a round-robin balancer of its own.
 *
 * It speaks MCP 2026-07-28, stateless: no session, so any instance can answer any request. It
 * asks `whoami` three times, runs a `report` task and reads its progress with `tasks/get` while
 * it runs (each read may land on another instance), then starts a `slow` task and cancels it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "../../src/client/index.js";

const urls = process.argv.length > 2 ? process.argv.slice(2) : [4101, 4102, 4103].map(local);

function local(port: number): string {
  return `http://127.0.0.1:${port}/mcp`;
}

let turn = 0;
/** Sends each request to the next URL of `urls`, whatever URL the client named. */
const roundRobin: typeof fetch = (input, init) => {
  const next = new URL(urls[turn++ % urls.length] as string);
  const url = new URL(input instanceof Request ? input.url : String(input));
  url.host = next.host;
  return fetch(url, init);
};

const client = await Client.connect(urls[0] as string, {
  protocolVersion: "2026-07-28",
  ...(urls.length > 1 ? { fetch: roundRobin } : {}),
});
try {
  for (let call = 1; call <= 3; call++) {
    const { structuredContent } = await client.callTool("whoami", {});
    console.log(`whoami: ${String(structuredContent?.instance)}`);
  }

  const report = await client.callTool("report", { steps: 5, stepMs: 200 }, { task: true });
  console.log(`report: task ${report.taskId} created`);
  for (;;) {
    const state = await report.status();
    const { progress } = state;
    const message = progress?.message === undefined ? "" : ` "${progress.message}"`;
    const shown = progress === undefined ? "" : ` ${progress.current}/${progress.total}${message}`;
    console.log(`report: tasks/get says ${state.status}${shown}`);
    if (state.status !== "working") break;
    await sleep(250);
  }
  console.log(`report: result ${JSON.stringify((await report.result()).structuredContent)}`);

  const slow = await client.callTool("slow", { seconds: 60, tickMs: 100 }, { task: true });
  console.log(`slow: task ${slow.taskId} created`);
  while ((await slow.status()).progress === undefined) await sleep(100);
  const cancelled = await slow.cancel();
  console.log(`slow: cancelled, tasks/get says ${cancelled.status} (its instance printed "stopped")`);
} finally {
  await client.close();
}
