/**
 * fastestmcp/testing: the behaviour suite every `TaskStore` passes, for people writing their own
 * store. It registers its tests through the functions it is given, so it needs no test runner of
 * its own.
 */
export type { TaskStoreSuiteOptions, TestFunctions } from "./testing/describe-task-store.js";
export { describeTaskStore } from "./testing/describe-task-store.js";
export type { TaskStoreBehaviour } from "./testing/task-store-behaviours.js";
export { TASK_STORE_BEHAVIOURS } from "./testing/task-store-behaviours.js";
