import { afterEach } from "vitest";
import { TaskRuntime, type TaskRuntimeOptions } from "../../src/tasks/task-runtime.js";

/**
 * For a test file's top level: returns a `runtime(options)` that makes a TaskRuntime, closed
 * after each test.
 */
export function runtimesClosedAfterEach(): (options?: TaskRuntimeOptions) => TaskRuntime {
  const runtimes: TaskRuntime[] = [];
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((r) => r.close()));
  });
  return (options = {}) => {
    const created = new TaskRuntime(options);
    runtimes.push(created);
    return created;
  };
}
