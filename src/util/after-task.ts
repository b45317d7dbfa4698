type Schedule = (callback: () => void) => void;

/** The global object, seen with the `setImmediate` that Node, Bun and Deno add to it. */
const runtime = globalThis as { setImmediate?: Schedule };

/**
 * Runs `callback` once the current task and its microtasks are done: what a burst of writes or
 * requests in one turn is gathered for. `setImmediate` where the runtime has one (Node, Bun,
 * Deno), since Node clamps `setTimeout(0)` to 1 ms; the web-standard `setTimeout(0)` elsewhere
 * (Workers, browsers). Which one is decided once, at load; the global is read at each call, as a
 * plain `setImmediate(…)` would (fake timers in tests replace it).
 */
export const afterTask: Schedule =
  typeof runtime.setImmediate === "function"
    ? (callback) => {
        (runtime.setImmediate as Schedule)(callback);
      }
    : (callback) => {
        setTimeout(callback, 0);
      };
