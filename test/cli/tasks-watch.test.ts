import { afterEach, describe, expect, it } from "vitest";
import type { AuthInfo } from "../../src/index.js";
import { FastestMCP } from "../../src/index.js";
import { startCli } from "./cli-harness.js";

// `tasks watch` from a new CLI process: with auth, the identity owns its tasks across sessions, and
// the bars show each task's stored progress (tasks/get's dev.fastestmcp/progress), not only its status.

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const identity = (subject: string): AuthInfo => ({ subject, scopes: [], claims: {} });

describe("fastestmcp tasks watch", () => {
  it("shows the stored progress of the identity's running task, then its end", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = FastestMCP.server("watched", {
      progressIntervalMs: 0,
      auth: {
        verifyToken: (token) => (token === "ada" ? identity("ada") : undefined),
        resourceMetadata: {
          resource: "http://127.0.0.1/mcp",
          authorizationServers: ["https://as.example.com"],
        },
      },
    }).addTool(
      "steps",
      async (_args, ctx) => {
        ctx.progress().setTotal(4).increment(2).setMessage("half way");
        await gate;
        ctx.progress().increment(2).setMessage("done");
        return "ok";
      },
      { task: true },
    );
    servers.push(server);
    const handle = await server.listen();
    const task = await server.callTool("steps", {}, { task: true, auth: identity("ada") });

    const run = startCli(["tasks", handle.url, "watch", "-H", "Authorization: Bearer ada"]);
    const [line] = await run.stdout.waitFor(/^.*50% 2\/4.*$/m);
    expect(line).toContain(`task ${task.taskId}`);
    expect(line).toContain("working half way");
    release();
    expect(await run.done).toBe(0);
    expect(run.stdout.text).toMatch(new RegExp(`^task ${task.taskId} completed`, "m"));
  });
});
