/** One call's or task's progress, as a bar shows it. */
export interface BarState {
  /** What the bar is for: the tool name (and task id). */
  label: string;
  /** Undefined when only a status is known. */
  progress?: number | undefined;
  total?: number | undefined;
  message?: string | undefined;
  /** When the bar appeared (ms since the epoch): elapsed time counts from here. */
  startedAt: number;
  /** The first progress sample, for the rate: a call may start at progress 40 of 100 (a resumed task). */
  first?: { at: number; progress: number } | undefined;
  /** Set once the call or task ended: the bar stops counting. */
  endedAt?: number | undefined;
}

const BAR_WIDTH = 24;

/** `1:05`, `0:03`, `2:03:04`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Units per second since the first sample, and the time left at that rate (when there is a total). */
export function rateAndEta(state: BarState, now: number): { rate?: number; etaMs?: number } {
  const { first } = state;
  const seconds = first === undefined ? 0 : ((state.endedAt ?? now) - first.at) / 1000;
  const { progress } = state;
  if (first === undefined || progress === undefined || seconds < 0.2 || progress <= first.progress) return {};
  const rate = (progress - first.progress) / seconds;
  if (state.total === undefined || state.total <= progress) return { rate };
  return { rate, etaMs: ((state.total - progress) / rate) * 1000 };
}

function formatRate(rate: number): string {
  return `${rate >= 10 ? Math.round(rate) : Math.round(rate * 10) / 10}/s`;
}

/** `50% 3/6`, `3` without a total, nothing without progress. */
export function formatAmount({ progress, total }: BarState): string {
  if (progress === undefined) return "";
  if (total === undefined || total <= 0) return `${progress}`;
  return `${Math.floor(Math.min(progress / total, 1) * 100)}% ${progress}/${total}`;
}

/**
 * A terminal bar line, cut to `width` columns (a wrapped line could not be redrawn in place):
 * `label [██████░░░░] 50% 3/6 0:03 2/s ETA 0:02 Computing totals`. The message comes last
 * because it is the part worth losing on a narrow terminal.
 */
export function barLine(state: BarState, now: number, width: number): string {
  const ratio = state.total ? Math.min(Math.max((state.progress ?? 0) / state.total, 0), 1) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  const bar = state.total ? `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}]` : "[…]";
  const { rate, etaMs } = rateAndEta(state, now);
  const amount = formatAmount(state);
  const parts = [state.label, bar, ...(amount === "" ? [] : [amount])];
  parts.push(formatDuration((state.endedAt ?? now) - state.startedAt));
  if (rate !== undefined) parts.push(formatRate(rate));
  if (etaMs !== undefined && state.endedAt === undefined) parts.push(`ETA ${formatDuration(etaMs)}`);
  if (state.message) parts.push(state.message);
  const line = parts.join(" ");
  return line.length > width ? `${line.slice(0, Math.max(width - 1, 0))}…` : line;
}

/** A plain, greppable progress line: `progress track 50% 3/6 Computing totals`. */
export function plainProgressLine(state: BarState): string {
  const amount = formatAmount(state);
  const line = `progress ${state.label}${amount === "" ? "" : ` ${amount}`}`;
  return state.message ? `${line} ${state.message}` : line;
}
