/** What a scenario is and what it reports. */

export interface ScenarioContext {
  /** Short durations and counts, for a smoke run. */
  quick: boolean;
  /** Measurements per target; the table shows field-wise medians. */
  rounds: number;
  /** Position of the scenario in this run: decides which target goes first. */
  index: number;
  /** Extra node flags for FastestMCP targets (e.g. `--cpu-prof`). */
  profileArgs: (label: string) => string[];
}

/** One goal of issue 6, checked against this run. `met` is undefined when it could not be measured. */
export interface GoalCheck {
  goal: string;
  measured: string;
  met: boolean | undefined;
}

export interface ScenarioReport {
  title: string;
  /** The scenario's Markdown table. */
  table: string;
  notes: readonly string[];
  goals: readonly GoalCheck[];
}

export interface Scenario {
  /** Name used by `--only`. */
  id: string;
  run(context: ScenarioContext): Promise<ScenarioReport>;
}

/** A goal check from a measured ratio: `at most` or `at least` a threshold. */
export function checkRatio(
  goal: string,
  ratio: number | undefined,
  bound: { atLeast?: number; atMost?: number },
): GoalCheck {
  if (ratio === undefined || !Number.isFinite(ratio)) return { goal, measured: "n/a", met: undefined };
  const met =
    (bound.atLeast === undefined || ratio >= bound.atLeast) &&
    (bound.atMost === undefined || ratio <= bound.atMost);
  return { goal, measured: `${ratio.toFixed(2)}×`, met };
}
