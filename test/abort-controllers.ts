/**
 * How many AbortControllers `run` builds (counted by a subclass swapped in for its duration; for
 * an async `run`, until it settles).
 */
export async function abortControllersBuiltBy(run: () => void | Promise<void>): Promise<number> {
  const Original = globalThis.AbortController;
  let built = 0;
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      built++;
    }
  };
  try {
    await run();
  } finally {
    globalThis.AbortController = Original;
  }
  return built;
}
