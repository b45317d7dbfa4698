import { setImmediate as nextTurn } from "node:timers/promises";
import { FastestMCP, ResourceNotFoundError } from "../../src/index.js";

/** What a gated handler did, as the `probe` tool reports it. */
export interface Outcome {
  state: "released" | "aborted" | "late-progress-sent" | "late-progress-refused" | "pending";
  reason?: string;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** One gate: a handler waits on `gate`; `started` and `settled` let a scenario see where it is. */
interface Gate {
  gate: Deferred<void>;
  started: Deferred<void>;
  settled: Deferred<Outcome>;
}

const LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"] as const;

/** Longest a `probe` waits before it answers `pending` (only a failing run ever waits this long). */
const PROBE_LIMIT_MS = 4000;

const reasonOf = (error: unknown): string =>
  String((error as { reason?: unknown })?.reason ?? (error as Error)?.message ?? error);

/**
 * The server every spec scenario runs against, on every transport. A scenario drives it only
 * through the wire: gated tools wait for `release`, and `probe` reports what a handler did (it
 * started; it was released, or aborted and why), so a scenario can wait for the event that
 * proves something happened instead of sleeping.
 */
export function scenarioServer(): FastestMCP {
  const gates = new Map<string, Gate>();
  const gateOf = (key: string): Gate => {
    let gate = gates.get(key);
    if (gate === undefined) {
      gate = { gate: deferred(), started: deferred(), settled: deferred() };
      gates.set(key, gate);
    }
    return gate;
  };
  /** Waits for the gate to open or the signal to abort; records which. */
  const hold = async (key: string, signal: AbortSignal | undefined): Promise<void> => {
    const entry = gateOf(key);
    entry.started.resolve();
    const aborted = new Promise<never>((_, reject) => {
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    try {
      await (signal === undefined ? entry.gate.promise : Promise.race([entry.gate.promise, aborted]));
      entry.settled.resolve({ state: "released" });
    } catch (error) {
      entry.settled.resolve({ state: "aborted", reason: reasonOf(error) });
      throw error;
    }
  };

  const server: FastestMCP = FastestMCP.server("spec-scenarios", {
    version: "1.0.0",
    progressIntervalMs: 0,
    tasks: { defaultPollIntervalMs: 25 },
  })
    .addTool("echo", ({ text }) => String(text), {
      description: "Returns its text.",
      inputSchema: {
        type: "object",
        properties: { text: { type: "string" } },
        required: ["text"],
        additionalProperties: false,
      },
    })
    .addTool(
      "fail",
      () => {
        throw new Error("The backend is down.");
      },
      { description: "Always fails." },
    )
    .addTool("weather", () => ({ temperature: 22.5, conditions: "Partly cloudy" }), {
      description: "Structured output.",
      outputSchema: {
        type: "object",
        properties: { temperature: { type: "number" }, conditions: { type: "string" } },
        required: ["temperature", "conditions"],
      },
    })
    .addTool("steps", async ({ count, scale = 1 }, ctx) => {
      const n = Number(count);
      for (let i = 1; i <= n; i++) {
        await nextTurn();
        await ctx.reportProgress(i * Number(scale), n * Number(scale), `step ${i} of ${n}`);
      }
      return `did ${n} steps`;
    })
    .addTool("log-levels", (_args, ctx) => {
      for (const level of LEVELS) ctx.log.log(level, `${level} entry`, { level });
      return `logged ${LEVELS.length} entries`;
    })
    .addTool("block", async ({ key, stubborn = false }, ctx) => {
      // A stubborn handler does not listen to ctx.signal: it finishes even when cancelled.
      await hold(String(key), stubborn === true ? undefined : ctx.signal);
      return "released";
    })
    .addTool("linger", async ({ key }, ctx) => {
      await ctx.reportProgress(1, 2, "first half");
      const entry = gateOf(String(key));
      // After the response: the handler still holds ctx and tries to report again.
      void entry.gate.promise.then(() =>
        ctx.reportProgress(2, 2, "too late").then(
          () => entry.settled.resolve({ state: "late-progress-sent" }),
          (error: unknown) =>
            entry.settled.resolve({ state: "late-progress-refused", reason: reasonOf(error) }),
        ),
      );
      return "returned";
    })
    .addTool("release", ({ key }) => {
      gateOf(String(key)).gate.resolve();
      return "released";
    })
    .addTool("probe", async ({ key, until }) => {
      const entry = gateOf(String(key));
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<Outcome>((resolve) => {
        timer = setTimeout(() => resolve({ state: "pending" }), PROBE_LIMIT_MS);
      });
      const awaited =
        until === "started"
          ? entry.started.promise.then((): Outcome => ({ state: "released" }))
          : entry.settled.promise;
      try {
        return { ...(await Promise.race([awaited, limit])) };
      } finally {
        clearTimeout(timer);
      }
    })
    .addTool(
      "job",
      async ({ key, wait = true, fail = false, stubborn = false }, ctx) => {
        await ctx.reportProgress(1, 2, "started");
        if (wait === true) await hold(String(key), stubborn === true ? undefined : ctx.signal);
        await ctx.reportProgress(2, 2, "finishing");
        if (fail === true) throw new Error("The job failed.");
        return { key: String(key), done: true };
      },
      { description: "A background job.", task: { mode: "optional", pollInterval: 25 } },
    )
    .addTool("job-required", () => "ran", { task: { mode: "required" } })
    .addTool("notify-updated", ({ uri }) => server.notifyResourceUpdated(String(uri)))
    .addResource("scenario://readme", () => "# Scenario server", {
      name: "readme",
      mimeType: "text/markdown",
    })
    .addResource("scenario://logo", () => new Uint8Array([0x89, 0x50, 0x4e, 0x47]), {
      name: "logo",
      mimeType: "image/png",
    })
    .addResourceTemplate(
      "scenario://items/{id}",
      (_uri, { id }) => {
        if (id === "missing") throw new ResourceNotFoundError(`scenario://items/${id}`);
        return `Item ${id}`;
      },
      { name: "item", mimeType: "text/plain" },
    )
    .addResourceTemplate("scenario://watch/{name}", (_uri, { name }) => `watching ${name}`, {
      name: "watched",
    })
    .addPrompt("greet", ({ name, style }) => `Hello ${name}${style === undefined ? "" : ` (${style})`}!`, {
      description: "Greets someone.",
      arguments: [
        { name: "name", description: "Who to greet", required: true },
        { name: "style", description: "How" },
      ],
    });
  return server;
}
