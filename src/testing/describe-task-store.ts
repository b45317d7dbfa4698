import type { TaskStore } from "../tasks/task-store.js";
import { TASK_STORE_BEHAVIOURS } from "./task-store-behaviours.js";

/** The test runner's functions the suite registers its tests with (vitest, jest, mocha, node:test). */
export interface TestFunctions {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
}

/** How the suite gets and gives back the stores it tests. */
export interface TaskStoreSuiteOptions<S extends TaskStore> {
  /** Called after each behaviour with the store it ran on (close a database, delete a file). */
  dispose?(store: S): void | Promise<void>;
}

/**
 * Registers one test per {@link TASK_STORE_BEHAVIOURS} entry for a {@link TaskStore}
 * implementation: conditional writes, first terminal write wins, creation order and stable
 * pagination, owner isolation and quotas, expiry, large results. Each test gets a store from
 * `create` (a new one, or a shared one: records never collide across tests).
 *
 * @example
 * ```ts
 * import { describe, it } from "vitest";
 * import { describeTaskStore } from "fastestmcp/testing";
 * describeTaskStore("MyStore", () => new MyStore(), { describe, it }, { dispose: (s) => s.close() });
 * ```
 */
export function describeTaskStore<S extends TaskStore>(
  name: string,
  create: () => S | Promise<S>,
  test: TestFunctions,
  options: TaskStoreSuiteOptions<S> = {},
): void {
  test.describe(`${name} (TaskStore behaviours)`, () => {
    for (const behaviour of TASK_STORE_BEHAVIOURS) {
      test.it(behaviour.name, async () => {
        const store = await create();
        try {
          await behaviour.run(store);
        } finally {
          await options.dispose?.(store);
        }
      });
    }
  });
}
