/**
 * One task of the cluster scenario, from creation to its checked end, and what is read from it:
 * created on instance i (`tools/call`, 2026-07-28 stateless), watched on instance i+1
 * (`subscriptions/listen`) until it ends, then read on instance i+2 (`tasks/get`). With one
 * instance all three are the same.
 */
import { type Notice, statelessRequest, type Watched, watchTask } from "./stateless-tasks.js";

/** What the `work` tool of targets/cluster-instance.ts is asked to do. */
export interface Work {
  steps: number;
  stepMs: number;
}

/** One task's run: what its listen stream saw and what `tasks/get` on a third instance said. */
export interface TaskRun {
  /** When the task handle arrived (`process.hrtime.bigint()`). */
  createdAtNs: bigint;
  watched: Watched;
  final: Record<string, unknown>;
}

/** Runs tasks 0…count-1, `inFlight` at a time; a task that throws is left out of the runs. */
export async function runTasks(
  urls: readonly string[],
  work: Work,
  count: number,
  inFlight: number,
): Promise<{ runs: TaskRun[]; failed: unknown[] }> {
  const runs: TaskRun[] = [];
  const failed: unknown[] = [];
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      await runTask(urls, work, index).then(
        (run) => runs.push(run),
        (error: unknown) => failed.push(error),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, client));
  return { runs, failed };
}

async function runTask(urls: readonly string[], work: Work, index: number): Promise<TaskRun> {
  const at = (offset: number) => urls[(index + offset) % urls.length] as string;
  const created = await statelessRequest(
    at(0),
    "tools/call",
    { name: "work", arguments: { ...work }, task: {} },
    "work",
  );
  const createdAtNs = process.hrtime.bigint();
  const taskId = String(created.taskId);
  const watched = await watchTask(at(1), taskId);
  const final = await statelessRequest(at(2), "tasks/get", { taskId }, taskId);
  return { createdAtNs, watched, final };
}

/**
 * Whether a task ended exactly as it should: `completed` on `tasks/get` with all `steps` stored
 * (current, total, the last step's message) and its whole result, and the stream's last notice
 * `completed` at the last step.
 */
export function exact(run: TaskRun, steps: number): boolean {
  const { final, watched } = run;
  const progress = (final._meta as Record<string, { current?: number; total?: number; message?: string }>)?.[
    "dev.fastestmcp/progress"
  ];
  const result = (final.result as { structuredContent?: { steps?: number; stamps?: string[] } })
    ?.structuredContent;
  const last = watched.notices.at(-1);
  return (
    final.status === "completed" &&
    progress?.current === steps &&
    progress.total === steps &&
    progress.message?.startsWith(`step ${steps} @`) === true &&
    result?.steps === steps &&
    result.stamps?.length === steps &&
    last?.status === "completed" &&
    last.current === steps
  );
}

const ms = (ns: bigint): number => Number(ns) / 1e6;

/**
 * Adds one task's latencies, in ms: to `updates`, read time minus step time for each progress
 * value the stream delivered for the first time; to `steps`, for every step, the time until a
 * notice showing it (or a later step) was read. Steps reported before the stream was acknowledged
 * are left out: the stream opens with the stored state, which says nothing about its speed.
 */
export function latencies(run: TaskRun, updates: number[], steps: number[]): void {
  const { ackAtNs, notices } = run.watched;
  let shown = -1;
  for (const notice of notices) {
    if (notice.current > shown && notice.stampNs !== undefined && notice.stampNs >= ackAtNs) {
      updates.push(ms(notice.atNs - notice.stampNs));
    }
    shown = Math.max(shown, notice.current);
  }
  const stamps = (run.final.result as { structuredContent?: { stamps?: string[] } })?.structuredContent
    ?.stamps;
  for (const [index, stamp] of (stamps ?? []).entries()) {
    const stepNs = BigInt(stamp);
    if (stepNs < ackAtNs) continue;
    const seen: Notice | undefined = notices.find((notice) => notice.current >= index + 1);
    if (seen !== undefined) steps.push(ms(seen.atNs - stepNs));
  }
}
