/**
 * What every benchmark target does besides serving: prints its URL as the first stdout line,
 * answers memory queries from the runner over IPC (after a full GC when asked and `--expose-gc`
 * is on), and exits cleanly on SIGTERM/SIGINT or when the runner goes away, so `--cpu-prof`
 * profiles get written and no target outlives the run.
 */

/** A memory query sent by the runner. */
export interface MemoryQuery {
  type: "memory";
  id: number;
  gc: boolean;
}

/** The target's answer: `process.memoryUsage()` in bytes. */
export interface MemoryReply extends NodeJS.MemoryUsage {
  type: "memory";
  id: number;
}

function isMemoryQuery(message: unknown): message is MemoryQuery {
  return typeof message === "object" && message !== null && (message as MemoryQuery).type === "memory";
}

/** Installs the control handlers and announces the target's URL to the runner. */
export function announce(url: string): void {
  process.on("message", (message: unknown) => {
    if (!isMemoryQuery(message)) return;
    if (message.gc && globalThis.gc !== undefined) {
      globalThis.gc();
      globalThis.gc();
    }
    const reply: MemoryReply = { type: "memory", id: message.id, ...process.memoryUsage() };
    process.send?.(reply);
  });
  const exit = (): never => process.exit(0);
  process.once("SIGTERM", exit);
  process.once("SIGINT", exit);
  process.once("disconnect", exit);
  process.stdout.write(`${url}\n`);
}
