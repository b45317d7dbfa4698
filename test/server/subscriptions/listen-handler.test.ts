/**
 * `subscriptions/listen` (MCP 2026-07-28, SEP-2575; `notifications/tasks` of the tasks extension,
 * SEP-2663) over real Streamable HTTP: the acknowledgement first, the subscription id on every
 * message, only what the filter names, only the owner's tasks, and a stream the client closes
 * leaves no listener behind.
 */
import { describe, expect, it } from "vitest";
import {
  ACK,
  AUTH,
  answer,
  Listener,
  listen,
  listenServer,
  type Message,
  post,
  request,
  SUBSCRIPTION_ID,
  TASKS,
  WITH_TASKS,
} from "./listen-harness.js";

const PROGRESS_KEY = "dev.fastestmcp/progress";

/** Every message of the stream carries the listen request's id under the subscription-id key. */
function expectStamped(messages: Message[], id: unknown = "listen-1"): void {
  for (const message of messages)
    expect(message.params?._meta?.[SUBSCRIPTION_ID] ?? message.result?._meta?.[SUBSCRIPTION_ID]).toBe(id);
}

async function startTask(url: string, token?: string): Promise<string> {
  const created = await answer(
    await post(url, "tools/call", { name: "gated", arguments: {} }, { capabilities: WITH_TASKS, token }),
  );
  expect(created.result.resultType).toBe("task");
  return created.result.taskId as string;
}

describe("subscriptions/listen over Streamable HTTP", () => {
  it("opens an SSE stream whose first message is the acknowledgement of what the server will send", async () => {
    const { url } = await listenServer();
    const stream = await listen(url, {
      toolsListChanged: true,
      promptsListChanged: false,
      resourceSubscriptions: ["test://a", "test://a"],
    });
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream");
    const [first] = await stream.until((messages) => messages.length > 0);
    expect(first).toEqual({
      jsonrpc: "2.0",
      method: ACK,
      params: {
        notifications: { toolsListChanged: true, resourceSubscriptions: ["test://a"] },
        _meta: { [SUBSCRIPTION_ID]: "listen-1" },
      },
    });
    await stream.close();
  });

  it("sends list changes and resource updates the filter names, stamped, and nothing else", async () => {
    const { server, url } = await listenServer();
    const stream = await listen(url, { toolsListChanged: true, resourceSubscriptions: ["test://a"] });
    await stream.next(ACK);
    // Not asked for: prompts, resources list, another URI.
    server.addPrompt("other", () => "x");
    server.addResource("test://c", () => "c");
    server.notifyResourceUpdated("test://b");
    // Asked for: several tool changes in one stretch are one notification.
    server.addTool("one", () => "1").addTool("two", () => "2");
    expect(server.notifyResourceUpdated("test://a")).toBe(1);
    await stream.next("notifications/resources/updated");
    await stream.next("notifications/tools/list_changed");
    const messages = stream.messages();
    // List changes leave on the next microtask (coalesced), so the two may come in either order.
    expect(messages[0]?.method).toBe(ACK);
    expect(messages.map((m) => m.method).sort()).toEqual([
      "notifications/resources/updated",
      ACK,
      "notifications/tools/list_changed",
    ]);
    const updated = messages.find((m) => m.method === "notifications/resources/updated");
    expect(updated?.params).toEqual({ uri: "test://a", _meta: { [SUBSCRIPTION_ID]: "listen-1" } });
    expectStamped(messages);
    await stream.close();
  });

  it("sends notifications/tasks for the named tasks with the stored progress under dev.fastestmcp/progress", async () => {
    const { server, url, release } = await listenServer();
    const taskId = await startTask(url);
    const stream = await listen(url, { taskIds: [taskId, "no-such-task"] }, { capabilities: WITH_TASKS });
    const ack = await stream.next(ACK);
    // Only tasks the listener may see are acknowledged: an unknown id is left out.
    expect(ack.params.notifications).toEqual({ taskIds: [taskId] });
    // Where the task stands is sent at once; once progress is stored it carries it.
    const working = await stream.next(
      "notifications/tasks",
      (m) => m.params._meta?.[PROGRESS_KEY]?.current === 1,
    );
    expect(working.params).toMatchObject({
      taskId,
      status: "working",
      statusMessage: "one of four",
      _meta: {
        [SUBSCRIPTION_ID]: "listen-1",
        [PROGRESS_KEY]: { current: 1, total: 4, message: "one of four" },
      },
    });
    release.resolve();
    const done = await stream.next("notifications/tasks", (m) => m.params.status === "completed");
    expect(done.params.result.content).toEqual([{ type: "text", text: "released" }]);
    expect(done.params._meta[PROGRESS_KEY]).toMatchObject({ current: 4, total: 4 });
    expectStamped(stream.messages());
    await stream.close();
    await server.close();
  });

  it("reports only the listener's owner's tasks (auth): another identity's task id is neither acknowledged nor sent", async () => {
    const { url, release } = await listenServer(AUTH);
    const adas = await startTask(url, "ada");
    const bobs = await startTask(url, "bob");
    const stream = await listen(url, { taskIds: [adas, bobs] }, { capabilities: WITH_TASKS, token: "bob" });
    const ack = await stream.next(ACK);
    expect(ack.params.notifications.taskIds).toEqual([bobs]);
    release.resolve();
    await stream.next(
      "notifications/tasks",
      (m) => m.params.taskId === bobs && m.params.status === "completed",
    );
    // Ada's task finished too (same gate), but Bob hears only his own.
    const adaFinished = await post(
      url,
      "tasks/get",
      { taskId: adas },
      { capabilities: WITH_TASKS, token: "ada" },
    );
    expect((await answer(adaFinished)).result.taskId).toBe(adas);
    expect(stream.messages().filter((m) => m.params?.taskId === adas)).toEqual([]);
    await stream.close();
  });

  it("refuses taskIds from a request that did not declare the tasks extension (-32021, HTTP 400)", async () => {
    const { url, hub } = await listenServer();
    const response = await post(url, "subscriptions/listen", { notifications: { taskIds: ["x"] } });
    expect(response.status).toBe(400);
    const body = await answer(response);
    expect(body.error.code).toBe(-32021);
    expect(body.error.data.requiredCapabilities).toEqual({ extensions: { [TASKS]: {} } });
    expect(hub.listenerCount).toBe(0);
  });

  it("refuses a malformed filter with -32602 listen-filter-invalid", async () => {
    const { url } = await listenServer();
    for (const params of [
      {},
      { notifications: { toolsListChanged: "yes" } },
      { notifications: { taskIds: "x" } },
    ]) {
      const body = await answer(await post(url, "subscriptions/listen", params));
      expect(body.error).toMatchObject({ code: -32602, data: { reason: "listen-filter-invalid" } });
    }
  });

  it("ends the subscription when the client closes the stream: the hub's listener count returns to 0", async () => {
    const { server, url, hub } = await listenServer();
    const streams: Listener[] = [];
    for (const id of ["a", "b"]) {
      const stream = await listen(url, { toolsListChanged: true }, { id });
      await stream.next(ACK);
      streams.push(stream);
    }
    expect(hub.listenerCount).toBe(2);
    await Promise.all(streams.map((stream) => stream.close()));
    await hub.empty();
    expect(hub.listenerCount).toBe(0);
    // Changes after that reach nobody.
    expect(server.notifyResourceUpdated("test://a")).toBe(0);
  });

  it("holds back for a client that does not read: repeated changes are coalesced, none is lost", async () => {
    const { server } = await listenServer();
    const uris = Array.from({ length: 100 }, (_, i) => `test://r${i}`);
    // A stream reports only resources the caller may read: these exist, and are open to all.
    for (const uri of uris) server.addResource(uri, () => uri);
    // The fetch front: no socket buffers between the writer and the reader, so the writer is
    // congested once its body holds FETCH_HIGH_WATER_BYTES (1 MiB) unread.
    const filter = { notifications: { toolsListChanged: true, resourceSubscriptions: uris } };
    const stream = new Listener(
      await server.fetch(request("http://localhost/mcp", "subscriptions/listen", filter, { id: "listen-1" })),
    );
    await stream.next(ACK);
    // The client reads nothing meanwhile; every 100 changes (each URI once) the event loop turns,
    // so without backpressure every change would be written. Congested, the stream keeps at most
    // one pending notification per URI.
    const published = 100_000;
    for (let i = 0; i < published; i++) {
      server.notifyResourceUpdated(uris[i % uris.length] as string);
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    // Queued behind every pending update: once it is in, they all are.
    server.addTool("marker", () => "m");
    await stream.next("notifications/tools/list_changed");
    const updates = stream.messages().filter((m) => m.method === "notifications/resources/updated");
    expect(new Set(updates.map((m) => m.params.uri)).size).toBe(uris.length);
    expect(updates.length).toBeLessThan(published / 4);
    await stream.close();
  });

  it("answers the listen request with the empty result when the server closes (a graceful end)", async () => {
    const { server, url, hub } = await listenServer();
    const stream = await listen(url, { toolsListChanged: true }, { id: 9 });
    await stream.next(ACK);
    await server.close();
    const messages = await stream.all();
    expect(messages.at(-1)).toEqual({
      jsonrpc: "2.0",
      id: 9,
      result: {
        resultType: "complete",
        _meta: {
          "io.modelcontextprotocol/serverInfo": { name: "listen-test", version: "1.0.0" },
          [SUBSCRIPTION_ID]: 9,
        },
      },
    });
    expect(stream.done).toBe(true);
    expect(hub.listenerCount).toBe(0);
  });

  it("server/discover declares listChanged and subscribe, and a 2025 session has no subscriptions/listen", async () => {
    const { url } = await listenServer();
    const discover = await answer(await post(url, "server/discover", {}));
    expect(discover.result.capabilities).toMatchObject({
      tools: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: true },
    });
    const init = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "legacy", version: "1" },
        },
      }),
    });
    const session = init.headers.get("mcp-session-id") as string;
    await init.text();
    const legacy = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": session,
        "mcp-protocol-version": "2025-11-25",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "subscriptions/listen",
        params: { notifications: {} },
      }),
    });
    const text = await legacy.text();
    expect(text).toContain("-32601");
  });
});
