import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 10_000,
    // Two cores on CI machines: threads beat forks for startup cost.
    pool: "threads",
  },
});
