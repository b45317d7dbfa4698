import { MemoryTaskStore } from "../../src/tasks/memory-task-store.js";

type Complete = Parameters<MemoryTaskStore["complete"]>;

/**
 * A `MemoryTaskStore` that tells a test when the outcome of a task's handler reached it: the
 * runtime's `complete()` with `completed` or `failed` (a cancellation is `cancelled`). That is
 * the event proving a late result was handled, so a test waits for it instead of sleeping.
 */
export class ObservedTaskStore extends MemoryTaskStore {
  readonly #outcomes = new Map<string, { promise: Promise<boolean>; resolve(stored: boolean): void }>();

  /**
   * Resolves once the runtime tried to store the handler's outcome of `taskId`: `true` when it
   * was stored, `false` when the store refused it (the task was terminal already).
   */
  handlerOutcome(taskId: string): Promise<boolean> {
    return this.#entry(taskId).promise;
  }

  override async complete(...[taskId, patch, bytes, quota]: Complete) {
    const write = await super.complete(taskId, patch, bytes, quota);
    if (patch.status !== "cancelled") this.#entry(taskId).resolve(write !== undefined);
    return write;
  }

  #entry(taskId: string) {
    let entry = this.#outcomes.get(taskId);
    if (entry === undefined) {
      let resolve!: (stored: boolean) => void;
      const promise = new Promise<boolean>((res) => {
        resolve = res;
      });
      entry = { promise, resolve };
      this.#outcomes.set(taskId, entry);
    }
    return entry;
  }
}
