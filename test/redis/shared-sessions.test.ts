import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type RedisServer, startRedisServer } from "./redis-server.js";
import {
  type Cluster,
  initialize,
  type Message,
  messagesOf,
  openGet,
  post,
  request,
  SseReader,
  startCluster,
} from "./shared-sessions-harness.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

let cluster: Cluster | undefined;
let prefixes = 0;
async function threeInstances(listenOptions: Record<string, unknown> = {}): Promise<Cluster> {
  cluster = await startCluster(redis.url, `shared-${++prefixes}:`, 3, listenOptions);
  return cluster;
}
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const resultOf = (messages: Message[]) => messages.find((m) => "result" in m || "error" in m);

describe("a 2025-11-25 session shared by three instances on one Redis", () => {
  it("is opened on A, listed on B and called with progress on C", async () => {
    const { urls } = await threeInstances();
    const [a, b, c] = urls as [string, string, string];
    const id = await initialize(a);
    const listed = resultOf(await messagesOf(await post(b, request("tools/list"), id)));
    expect(listed?.result.tools.map((t: { name: string }) => t.name)).toContain("steps");
    const call = request("tools/call", { name: "steps", arguments: { n: 3 }, _meta: { progressToken: "p" } });
    const messages = await messagesOf(await post(c, call, id));
    const progress = messages
      .filter((m) => m.method === "notifications/progress")
      .map((m) => m.params.progress);
    expect(progress).toEqual([1, 2, 3]);
    expect(resultOf(messages)?.result.content[0].text).toBe("done on C");
  });

  it("answers 404 on every instance for an id no instance opened", async () => {
    const { urls } = await threeInstances();
    for (const url of urls) {
      const response = await post(url, request("tools/list"), "no-such-session");
      expect(response.status).toBe(404);
      expect(((await response.json()) as Message).error.data.reason).toBe("session-not-found");
    }
  });

  it("applies logging/setLevel sent to A to a call served by B", async () => {
    const { urls } = await threeInstances();
    const [a, b] = urls as [string, string];
    const id = await initialize(a);
    // B holds a replica before the change: it must hear of it.
    await messagesOf(await post(b, request("ping"), id));
    expect(
      resultOf(await messagesOf(await post(a, request("logging/setLevel", { level: "error" }), id))),
    ).toMatchObject({
      result: {},
    });
    const messages = await messagesOf(await post(b, request("tools/call", { name: "log" }), id));
    const levels = messages.filter((m) => m.method === "notifications/message").map((m) => m.params.level);
    expect(levels).toEqual(["error"]);
  });

  it("delivers the answer to an elicitation sent from A when the client POSTs it to B", async () => {
    const { urls } = await threeInstances();
    const [a, b] = urls as [string, string];
    const id = await initialize(a, { elicitation: {} });
    await messagesOf(await post(b, request("ping"), id));
    const call = await post(a, request("tools/call", { name: "ask" }), id);
    const reader = new SseReader(call);
    const [asked] = (
      await reader.until((events) => events.some((e) => e.data.includes("elicitation/create")))
    )
      .filter((e) => e.data.includes("elicitation/create"))
      .map((e) => JSON.parse(e.data) as Message);
    const answer = { jsonrpc: "2.0", id: asked?.id, result: { action: "accept", content: { name: "Ada" } } };
    expect((await post(b, answer, id)).status).toBe(202);
    await reader.all();
    expect(resultOf(reader.messages())?.result.content[0].text).toBe("Ada answered A");
  });

  it("aborts a call running on A when notifications/cancelled reaches B", async () => {
    const { urls, probe } = await threeInstances();
    const [a, b] = urls as [string, string];
    const id = await initialize(a);
    await messagesOf(await post(b, request("ping"), id));
    const call = request("tools/call", { name: "wait" });
    const answered = post(a, call, id);
    expect(await probe.waiting).toBe("A");
    const cancel = {
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: call.id, reason: "no" },
    };
    expect((await post(b, cancel, id)).status).toBe(202);
    // A cancelled request gets no response: its stream just ends.
    expect(resultOf(await messagesOf(await answered))).toBeUndefined();
    expect(probe.aborted).toEqual([expect.stringMatching(/^A:.*no/)]);
  });

  it("sends a task's status, from the task on A, once on the GET stream held by C", async () => {
    const { urls, probe } = await threeInstances();
    const [a, b, c] = urls as [string, string, string];
    const id = await initialize(b);
    const stream = new SseReader(await openGet(c, id));
    // The stream is attached once a message sent from another instance arrives on it.
    await messagesOf(await post(a, request("resources/list"), id));
    const created = resultOf(
      await messagesOf(await post(a, request("tools/call", { name: "gated", task: {} }), id)),
    );
    const taskId = created?.result.task.taskId as string;
    const statusesOf = (task: string) =>
      (stream.messages() as Message[])
        .filter((m) => m.method === "notifications/tasks/status" && m.params.taskId === task)
        .map((m) => m.params.status);
    probe.release();
    await stream.until(() => statusesOf(taskId).includes("completed"));
    // A second task's completion, sent after the first one's: any repeat of the first is in by then.
    const second = resultOf(
      await messagesOf(await post(a, request("tools/call", { name: "gated", task: {} }), id)),
    );
    probe.release();
    await stream.until(() => statusesOf(second?.result.task.taskId).includes("completed"));
    expect(statusesOf(taskId).filter((status) => status === "completed")).toHaveLength(1);
    await stream.cancel();
  });

  it("ends the session on every instance when B answers its DELETE", async () => {
    const { urls, probe } = await threeInstances();
    const [a, b, c] = urls as [string, string, string];
    const id = await initialize(a);
    await messagesOf(await post(c, request("ping"), id));
    const running = post(a, request("tools/call", { name: "wait" }), id);
    await probe.waiting;
    const deleted = await fetch(b, {
      method: "DELETE",
      headers: { "mcp-session-id": id, "mcp-protocol-version": "2025-11-25" },
    });
    expect(deleted.status).toBe(204);
    expect(resultOf(await messagesOf(await running))).toBeUndefined();
    expect(probe.aborted).toEqual([expect.stringMatching(/^A:/)]);
    for (const url of [a, b, c]) expect((await post(url, request("ping"), id)).status).toBe(404);
  });

  it("replays what a POST stream on A sent after the Last-Event-ID a client resumes with on B", async () => {
    const { urls } = await threeInstances();
    const [a, b] = urls as [string, string];
    const id = await initialize(a);
    await messagesOf(await post(b, request("ping"), id));
    const abort = new AbortController();
    const call = request("tools/call", { name: "steps", arguments: { n: 6 }, _meta: { progressToken: "r" } });
    const first = new SseReader(await post(a, call, id, abort.signal));
    const seen = await first.until((events) => events.filter((e) => e.data.includes("progress")).length >= 2);
    const last = seen.at(-1)?.id as string;
    abort.abort(); // the connection drops after two steps
    const resumed = new SseReader(await openGet(b, id, last));
    await resumed.all();
    const progress = ([...first.messages(), ...resumed.messages()] as Message[])
      .filter((m) => m.method === "notifications/progress")
      .map((m) => m.params.progress);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    expect(resultOf(resumed.messages())?.result.content[0].text).toBe("done on A");
  });

  it("refuses a second standalone GET stream on another instance (409) while the first is open, then takes one once it closed", async () => {
    // MCP 2025-11-25: the server sends each message on one stream only, whatever instance holds it.
    const { urls } = await threeInstances();
    const [a, b, c] = urls as [string, string, string];
    const id = await initialize(a);
    const leaving = new AbortController();
    const first = await fetch(b, {
      headers: { accept: "text/event-stream", "mcp-session-id": id, "mcp-protocol-version": "2025-11-25" },
      signal: leaving.signal,
    });
    expect(first.status).toBe(200);
    const second = await openGet(c, id);
    expect(second.status).toBe(409);
    expect(((await second.json()) as Message).error.data.reason).toBe("stream-conflict");
    leaving.abort();
    await vi.waitFor(
      async () => {
        const again = await openGet(c, id);
        if (again.status === 200) await again.body?.cancel();
        expect(again.status).toBe(200);
      },
      { timeout: 5000, interval: 50 },
    );
  });

  it("answers 404 for a Last-Event-ID of a stream no instance knows", async () => {
    const { urls } = await threeInstances();
    const id = await initialize(urls[0] as string);
    const response = await openGet(urls[1] as string, id, "nobody-7.3");
    expect(response.status).toBe(404);
    expect(((await response.json()) as Message).error.data.reason).toBe("unknown-event-id");
  });
});
