import { cancellationScenarios } from "./rows/cancellation.js";
import { loggingScenarios } from "./rows/logging.js";
import { progressScenarios } from "./rows/progress.js";
import { promptScenarios } from "./rows/prompts.js";
import { resourceScenarios } from "./rows/resources.js";
import { taskScenarios } from "./rows/tasks.js";
import { toolScenarios } from "./rows/tools.js";
import type { Scenario } from "./scenario.js";

/**
 * The scenario table: every row is one MCP 2025-11-25 requirement, quoted, with the exchange that
 * checks it. spec-scenarios.test.ts runs each row on every transport. Rows live in rows/, one
 * file per feature.
 */
export const SCENARIOS: readonly Scenario[] = [
  ...toolScenarios,
  ...progressScenarios,
  ...loggingScenarios,
  ...cancellationScenarios,
  ...taskScenarios,
  ...resourceScenarios,
  ...promptScenarios,
];
