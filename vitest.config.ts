import { configDefaults, defineConfig } from "vitest/config";

/**
 * Suites that start other runtimes (Bun, Deno), a browser or many child processes: they hold most of the
 * suite's wall time, so `npm test` leaves them to `npm run test:heavy` (.ci/run runs both).
 */
const HEAVY = [
  "test/runtimes/**/*.test.ts",
  "test/interop/sdk-client-stdio.test.ts",
  "test/server/tasks/task-retention-budget.test.ts",
  "test/sqlite/shared-store.test.ts",
  "test/redis/shared-redis.test.ts",
  // examples/cluster: redis-server and three or four instance processes.
  "test/cluster/**/*.test.ts",
  // Kills a job queue's worker process mid-task.
  "test/redis/redis-queue-crash.test.ts",
  "test/examples/sqlite-restart.test.ts",
  // Starts Chromium.
  "test/dashboard/dashboard-browser.test.ts",
  // The CLI as real processes and on a real terminal (tmux).
  "test/cli/cli-process.test.ts",
  "test/cli/cli-terminal.test.ts",
];

const shared = {
  testTimeout: 10_000,
  // Two cores on CI machines: threads beat forks for startup cost.
  pool: "threads" as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: "main",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...HEAVY],
        },
      },
      // Each of these starts processes (runtimes, a browser, servers) on two shared cores: a test
      // that takes 1.5 s alone can take ten times that while the others start theirs. The cap is
      // a bound on a hang, not a speed check.
      { test: { ...shared, name: "heavy", include: HEAVY, testTimeout: 60_000 } },
    ],
  },
});
