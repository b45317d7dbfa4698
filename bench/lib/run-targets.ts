/**
 * Runs one measurement per target per round, each in a FRESH target process (so no target warms
 * or pollutes another), alternating the target order between rounds and scenarios, and returns
 * the field-wise median of each target's rounds (or the error that stopped it).
 */
import { TargetProcess } from "./child.js";
import type { ScenarioContext } from "./scenario.js";
import { medianOf } from "./stats.js";
import type { Target } from "./targets.js";

export type Measurement = Record<string, number>;
export type Outcome<T extends Measurement> = { ok: true; value: T } | { ok: false; error: string };

/** Prints a progress line on stderr (stdout carries only the report). */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export async function measureTargets<T extends Measurement>(
  scenario: string,
  targets: readonly Target[],
  context: ScenarioContext,
  measure: (process: TargetProcess, target: Target) => Promise<T>,
): Promise<Map<string, Outcome<T>>> {
  const runs = new Map<string, T[]>();
  const failures = new Map<string, string>();
  for (let round = 0; round < context.rounds; round++) {
    const order = (context.index + round) % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      if (failures.has(target.id)) continue;
      const nodeArgs = target.ours ? context.profileArgs(`${scenario}-${target.id}-${round}`) : [];
      let child: TargetProcess | undefined;
      try {
        child = await TargetProcess.start({ ...target, nodeArgs });
        const value = await measure(child, target);
        runs.set(target.id, [...(runs.get(target.id) ?? []), value]);
        log(`${scenario} · ${target.label} · ${JSON.stringify(value)}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.set(target.id, message);
        log(`${scenario} · ${target.label} · FAILED: ${message}`);
      } finally {
        await child?.stop();
      }
    }
  }
  const outcomes = new Map<string, Outcome<T>>();
  for (const target of targets) {
    const error = failures.get(target.id);
    const values = runs.get(target.id);
    if (error !== undefined) outcomes.set(target.id, { ok: false, error });
    else if (values !== undefined) outcomes.set(target.id, { ok: true, value: medianOf(values) });
  }
  return outcomes;
}

/** The measured value of a field, or undefined when the target failed. */
export function measured<T extends Measurement>(
  outcomes: Map<string, Outcome<T>>,
  target: Target,
  field: keyof T,
): number | undefined {
  const outcome = outcomes.get(target.id);
  return outcome?.ok ? outcome.value[field] : undefined;
}

/** The error of a failed target, as a table cell. */
export function failureOf<T extends Measurement>(
  outcomes: Map<string, Outcome<T>>,
  target: Target,
): string | undefined {
  const outcome = outcomes.get(target.id);
  return outcome !== undefined && !outcome.ok ? `failed: ${outcome.error}` : undefined;
}
