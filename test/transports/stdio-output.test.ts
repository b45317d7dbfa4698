import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type JsonRpcMessage, notification, resultResponse } from "../../src/protocol/jsonrpc.js";
import { StdioOutput, type StdioOutputHooks } from "../../src/transports/stdio-output.js";
import { createDeferred } from "../../src/util/deferred.js";

type Line = { id?: unknown; method?: string; params?: { progress?: number; level?: string } };

/** A StdioOutput on an output that records each write call's text. */
function setup(options: { barrier?: boolean; timeoutMs?: number; hooks?: Partial<StdioOutputHooks> } = {}) {
  const writes: string[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString("utf8"));
      callback();
    },
  });
  const hooks: StdioOutputHooks = {
    onFull: () => undefined,
    onError: (error) => {
      throw error;
    },
    onBarrierTimeout: () => undefined,
    ...options.hooks,
  };
  const out = new StdioOutput(output, hooks, options.barrier ?? true, options.timeoutMs ?? 60_000);
  const push = (message: JsonRpcMessage) => out.push(JSON.stringify(message), message);
  /** Each write as a short label per line: `p1` progress 1, `r2` response 2, `ping:n` barrier n, `log`. */
  const labels = () =>
    writes.map((text) =>
      text
        .trimEnd()
        .split("\n")
        .map((raw) => {
          const line = JSON.parse(raw) as Line;
          if (line.method === "ping") return `ping:${String(line.id).replace("progress-barrier-", "")}`;
          if (line.method === "notifications/progress") return `p${line.params?.progress}`;
          if (line.method !== undefined) return "log";
          return `r${String(line.id)}`;
        })
        .join(" "),
    );
  return { out, push, writes, labels };
}

const progress = (value: number) =>
  notification("notifications/progress", { progressToken: "t", progress: value });
const log = () => notification("notifications/message", { level: "info", data: "x" });
const response = (id: number) => resultResponse(id, {});
/** Lets the end-of-tick flush run. */
const endOfTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

describe("StdioOutput: batching", () => {
  it("writes the lines of a tick in one write, with no ping when no progress precedes a response", async () => {
    const { push, labels } = setup();
    push(log());
    push(response(1));
    push(response(2));
    await endOfTick();
    expect(labels()).toEqual(["log r1 r2"]);
  });

  it("writes a response after progress without a ping when barriers are off", async () => {
    const { push, labels } = setup({ barrier: false });
    push(progress(1));
    push(response(1));
    await endOfTick();
    expect(labels()).toEqual(["p1 r1"]);
  });
});

describe("StdioOutput: progress barrier", () => {
  it("writes a ping after the progress and holds the response until the ping is answered", async () => {
    const { out, push, labels } = setup();
    push(progress(1));
    push(progress(2));
    push(response(1));
    await endOfTick();
    expect(labels()).toEqual(["p1 p2 ping:1"]);
    expect(out.answered("progress-barrier-1")).toBe(true);
    await endOfTick();
    expect(labels()).toEqual(["p1 p2 ping:1", "r1"]);
  });

  it("needs a barrier for progress written in an earlier tick too, and none once it is answered", async () => {
    const { out, push, labels } = setup();
    push(progress(1));
    await endOfTick();
    push(response(1));
    await endOfTick();
    expect(labels()).toEqual(["p1", "ping:1"]);
    out.answered("progress-barrier-1");
    push(response(2));
    await endOfTick();
    expect(labels()).toEqual(["p1", "ping:1", "r1 r2"]);
  });

  it("keeps writing progress while responses wait; other lines queue behind them in order", async () => {
    const { out, push, labels } = setup();
    push(progress(1));
    push(response(1));
    push(log());
    push(progress(2));
    push(response(2));
    push(response(3));
    push(progress(3));
    await endOfTick();
    // Only the progress counted when the ping was written is covered by its answer.
    expect(labels()).toEqual(["p1 ping:1 p2 p3"]);
    out.answered("progress-barrier-1");
    await endOfTick();
    expect(labels().at(-1)).toBe("r1 log ping:2");
    out.answered("progress-barrier-2");
    await endOfTick();
    expect(labels().at(-1)).toBe("r2 r3");
    // All progress is handled: the next response goes at once.
    push(response(4));
    await endOfTick();
    expect(labels().at(-1)).toBe("r4");
  });

  it("covers every waiting response with one ping, in order, even when many wait", async () => {
    const { out, push, labels } = setup();
    push(progress(1));
    push(response(1));
    for (let i = 2; i <= 1501; i++) {
      push(progress(i));
      push(response(i));
    }
    await endOfTick();
    out.answered("progress-barrier-1");
    for (let i = 1502; i <= 1510; i++) {
      push(progress(i));
      push(response(i));
    }
    out.answered("progress-barrier-2");
    out.answered("progress-barrier-3");
    await endOfTick();
    const all = labels().join(" ").split(" ");
    expect(all.filter((label) => label.startsWith("ping"))).toEqual(["ping:1", "ping:2", "ping:3"]);
    const responses = all.filter((label) => label.startsWith("r"));
    expect(responses).toEqual(Array.from({ length: 1510 }, (_, i) => `r${i + 1}`));
    for (let i = 1; i <= 1510; i++) expect(all.indexOf(`p${i}`)).toBeLessThan(all.indexOf(`r${i}`));
  });

  it("takes only its own ping ids, and ignores a stale one", async () => {
    const { out, push, labels } = setup();
    for (const id of [1, "s1", null, "progress"]) expect(out.answered(id)).toBe(false);
    push(progress(1));
    push(response(1));
    await endOfTick();
    expect(out.answered("progress-barrier-7")).toBe(true);
    await endOfTick();
    expect(labels()).toEqual(["p1 ping:1"]);
  });

  it("writes what is held when no answer can come any more, and holds nothing after", async () => {
    const { out, push, labels } = setup();
    push(progress(1));
    push(response(1));
    push(log());
    await endOfTick();
    out.stopWaiting();
    await endOfTick();
    expect(labels()).toEqual(["p1 ping:1", "r1 log"]);
    push(progress(2));
    push(response(2));
    await endOfTick();
    expect(labels().at(-1)).toBe("p2 r2");
  });

  it("flushAll writes held and pending lines at once, in order, without waiting for an answer", () => {
    const { out, push, labels } = setup();
    push(progress(1));
    push(response(1));
    push(progress(2));
    push(response(2));
    out.flushAll();
    expect(labels()).toEqual(["p1 ping:1 p2 r1 r2"]);
  });

  it("after a timeout writes what is held and stops pinging, until the late answer comes", async () => {
    const timedOut = createDeferred<number>();
    const { out, push, labels } = setup({ timeoutMs: 5, hooks: { onBarrierTimeout: timedOut.resolve } });
    push(progress(1));
    push(response(1));
    expect(await timedOut.promise).toBe(5);
    await endOfTick();
    expect(labels()).toEqual(["p1 ping:1", "r1"]);
    push(progress(2));
    push(response(2));
    await endOfTick();
    expect(labels().at(-1)).toBe("p2 r2");
    // The client was slow, not silent: barriers are back.
    expect(out.answered("progress-barrier-1")).toBe(true);
    push(progress(3));
    push(response(3));
    await endOfTick();
    expect(labels().at(-1)).toBe("p3 ping:2");
  });
});

describe("StdioOutput: gaps on a stateless connection (no ping there)", () => {
  it("writes the progress at once and the response that follows it in a later write of its own, never a ping", async () => {
    const { out, push, labels } = setup();
    out.useGaps(1);
    push(progress(1));
    push(progress(2));
    push(response(1));
    push(log());
    await endOfTick();
    expect(labels()).toEqual(["p1 p2"]);
    await out.released();
    await endOfTick();
    expect(labels()).toEqual(["p1 p2", "r1 log"]);
    // A ping id means nothing here.
    expect(out.answered("progress-barrier-1")).toBe(true);
    expect(labels()).toEqual(["p1 p2", "r1 log"]);
  });

  it("keeps progress flowing while a response waits, and holds no response that follows no progress", async () => {
    const { out, push, labels } = setup();
    out.useGaps(1);
    push(response(1));
    await endOfTick();
    expect(labels()).toEqual(["r1"]);
    push(progress(1));
    push(response(2));
    push(progress(2));
    await endOfTick();
    expect(labels()).toEqual(["r1", "p1 p2"]);
    await out.released();
    await endOfTick();
    // p2 came after the response and did not wait for it; the response left after the gap.
    expect(labels()).toEqual(["r1", "p1 p2", "r2"]);
  });

  it("goes on waiting the gap when the input ends, and flushAll writes at once", async () => {
    const { out, push, labels } = setup();
    out.useGaps(60_000);
    push(progress(1));
    push(response(1));
    out.stopWaiting();
    await endOfTick();
    expect(labels()).toEqual(["p1"]);
    out.flushAll();
    expect(labels()).toEqual(["p1", "r1"]);
    await out.released();
  });

  it("writes a response at once when barriers are off", async () => {
    const { out, push, labels } = setup({ barrier: false });
    out.useGaps(60_000);
    push(progress(1));
    push(response(1));
    await endOfTick();
    expect(labels()).toEqual(["p1 r1"]);
  });
});
