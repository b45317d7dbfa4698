import { getBuiltinModule } from "./node-builtin.js";

/**
 * A random (v4) UUID: session and task ids. Web crypto's `crypto.randomUUID` exists on every
 * runtime (Node 20, Bun, Deno, Workers), but on Node it checks its receiver and options on every
 * call and takes 2-3 times as long as node:crypto's, which draws from a prefilled entropy buffer:
 * so node:crypto's where there is one.
 */
export const randomUUID: () => string =
  getBuiltinModule?.("node:crypto").randomUUID ?? (() => globalThis.crypto.randomUUID());
