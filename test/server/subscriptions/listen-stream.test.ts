/**
 * A listen stream's buffering: the acknowledgement first, what arrives meanwhile after it, and a
 * bounded backlog for a client that does not read (one entry per list, URI and task; the latest
 * task state wins), written once the sink drains.
 */
import { describe, expect, it } from "vitest";
import type { JsonRpcMessage } from "../../../src/protocol/jsonrpc.js";
import { TASKS_EXTENSION_WIRE } from "../../../src/protocol/revisions/tasks-extension.js";
import { ListenStream, type StreamSink } from "../../../src/server/subscriptions/listen-stream.js";
import { LocalSubscriptionHub } from "../../../src/server/subscriptions/subscription-hub.js";
import type { TaskRecord } from "../../../src/tasks/task-record.js";

// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever was sent.
type Sent = JsonRpcMessage & { method?: string; params?: any };

/** A sink the test congests and drains by hand. */
class ManualSink implements StreamSink {
  readonly sent: Sent[] = [];
  congested = false;
  #drain: (() => void) | undefined;

  send(message: JsonRpcMessage): void {
    this.sent.push(message as Sent);
  }

  onDrain(callback: () => void): void {
    this.#drain = callback;
  }

  drain(): void {
    this.congested = false;
    const drain = this.#drain;
    this.#drain = undefined;
    drain?.();
  }
}

function task(taskId: string, current: number, owner = "ada"): TaskRecord {
  const at = new Date(1_700_000_000_000 + current).toISOString();
  return {
    taskId,
    owner,
    toolName: "t",
    status: "working",
    statusMessage: `step ${current}`,
    createdAt: at,
    lastUpdatedAt: at,
    ttl: 60_000,
    expiresAt: null,
    seq: 1,
    progress: { current, total: 100, message: `step ${current}`, reportedAt: at },
  };
}

function stream(sink: StreamSink) {
  return new ListenStream({
    subscriptionId: 3,
    filter: { toolsListChanged: true, resourceSubscriptions: ["a://1"], taskIds: ["t1", "t2"] },
    owner: "ada",
    tasks: TASKS_EXTENSION_WIRE,
    sink,
  });
}

const microtasks = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe("ListenStream", () => {
  it("writes the acknowledgement first, then what arrived before it", async () => {
    const sink = new ManualSink();
    const s = stream(sink);
    expect(s.offer({ type: "list-changed", method: "notifications/tools/list_changed" })).toBe(true);
    expect(sink.sent).toEqual([]);
    s.start({ toolsListChanged: true });
    expect(sink.sent.map((m) => m.method)).toEqual([
      "notifications/subscriptions/acknowledged",
      "notifications/tools/list_changed",
    ]);
    expect(sink.sent.every((m) => m.params._meta["io.modelcontextprotocol/subscriptionId"] === 3)).toBe(true);
  });

  it("takes only what its filter names, and only its owner's tasks", () => {
    const s = stream(new ManualSink());
    expect(s.offer({ type: "list-changed", method: "notifications/prompts/list_changed" })).toBe(false);
    expect(s.offer({ type: "resource-updated", uri: "a://2" })).toBe(false);
    expect(s.offer({ type: "task", task: task("t3", 1) })).toBe(false);
    expect(s.offer({ type: "task", task: task("t1", 1, "bob") })).toBe(false);
    expect(s.offer({ type: "task", task: task("t1", 1) })).toBe(true);
  });

  it("holds a bounded backlog while the sink is congested: one entry per name, the latest task state wins", async () => {
    const sink = new ManualSink();
    const s = stream(sink);
    s.start({});
    sink.congested = true;
    for (let i = 1; i <= 10_000; i++) {
      s.offer({ type: "task", task: task("t1", i) });
      s.offer({ type: "list-changed", method: "notifications/tools/list_changed" });
      s.offer({ type: "resource-updated", uri: "a://1" });
      if (i % 1000 === 0) await microtasks();
    }
    s.offer({ type: "task", task: task("t2", 7) });
    await microtasks();
    expect(s.pending).toBe(4);
    expect(sink.sent).toHaveLength(1); // the acknowledgement
    sink.drain();
    const tasks = sink.sent.filter((m) => m.method === "notifications/tasks");
    expect(tasks.map((m) => [m.params.taskId, m.params._meta["dev.fastestmcp/progress"].current])).toEqual([
      ["t1", 10_000],
      ["t2", 7],
    ]);
    expect(sink.sent).toHaveLength(5);
    expect(s.pending).toBe(0);
  });

  it("does not let the state read at start overwrite a change heard meanwhile", () => {
    const sink = new ManualSink();
    const s = stream(sink);
    s.offer({ type: "task", task: task("t1", 5) });
    s.seed(task("t1", 2));
    s.start({ taskIds: ["t1"] });
    const sent = sink.sent.filter((m) => m.method === "notifications/tasks");
    expect(sent.map((m) => m.params.statusMessage)).toEqual(["step 5"]);
  });

  it("writes nothing once closed", async () => {
    const sink = new ManualSink();
    const s = stream(sink);
    s.start({});
    s.offer({ type: "resource-updated", uri: "a://1" });
    s.close();
    await microtasks();
    expect(sink.sent).toHaveLength(1);
    expect(s.offer({ type: "resource-updated", uri: "a://1" })).toBe(false);
  });
});

describe("LocalSubscriptionHub", () => {
  it("counts listeners, counts who took an event, and survives a listener that throws", () => {
    const errors: unknown[] = [];
    const hub = new LocalSubscriptionHub({ warn: () => {}, error: (_m, d) => errors.push(d) });
    const off1 = hub.subscribe(() => true);
    const off2 = hub.subscribe(() => {
      throw new Error("boom");
    });
    hub.subscribe(() => false);
    expect(hub.listenerCount).toBe(3);
    expect(hub.publish({ type: "resource-updated", uri: "x" })).toBe(1);
    expect(errors).toHaveLength(1);
    off1();
    off1();
    off2();
    expect(hub.listenerCount).toBe(1);
  });

  it("runs close callbacks once, and at once for one registered after closing", () => {
    const hub = new LocalSubscriptionHub();
    let closed = 0;
    const off = hub.onClose(() => closed++);
    hub.onClose(() => closed++);
    off();
    hub.close();
    hub.close();
    expect(closed).toBe(1);
    hub.onClose(() => closed++);
    expect(closed).toBe(2);
  });
});
