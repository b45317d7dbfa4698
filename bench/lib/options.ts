/** Command-line options of `npm run bench`. */
import { parseArgs } from "node:util";

export interface BenchOptions {
  quick: boolean;
  /** Scenario ids to run; empty = all. */
  only: ReadonlySet<string>;
  rounds: number;
  /** Write `--cpu-prof` profiles of FastestMCP children to this directory. */
  profileDir: string | undefined;
}

export const USAGE = `Usage: npm run bench -- [--quick] [--only echo,echo-revisions,progress,concurrent,idle,in-process,cluster] [--rounds N] [--profile]
  --quick     short durations and counts (smoke run, ~1 min)
  --only      run only these scenarios (comma-separated ids); --scenario is the same
  --rounds    fresh-process measurements per target, median reported (default 1)
  --profile   CPU-profile the FastestMCP children into bench/results/profiles/ (numbers are then slower)`;

export function parseOptions(argv: readonly string[], defaultProfileDir: string): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      scenario: { type: "string" },
      rounds: { type: "string", default: "1" },
      profile: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10)
    throw new Error("--rounds must be an integer from 1 to 10");
  const only = new Set(
    [values.only, values.scenario]
      .filter((list) => list !== undefined)
      .join(",")
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== ""),
  );
  return { quick: values.quick, only, rounds, profileDir: values.profile ? defaultProfileDir : undefined };
}
