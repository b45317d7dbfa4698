import { getBuiltinModule } from "./node-builtin.js";

/**
 * A random (v4) UUID: session and task ids. Web crypto's `crypto.randomUUID` exists on every
 * runtime (Node 20, Bun, Deno, Workers), but on Node it checks its receiver and options on every
 * call and takes 2-3 times as long as node:crypto's, which draws from a prefilled entropy buffer:
 * so node:crypto's where there is one.
 */
const uuid: () => string =
  getBuiltinModule?.("node:crypto").randomUUID ?? (() => globalThis.crypto.randomUUID());

/**
 * A random (v4) UUID as one flat string. Node builds its UUIDs by concatenation, a tree of some
 * twenty string pieces (~500 bytes) that V8 keeps as it is, and ids live as long as their tasks
 * and sessions. `toLowerCase` (a no-op on a UUID's text) reads the string flat, and V8 flattens
 * it in place to do so: ~70 bytes from then on. (A conversion whose result goes unused, such as
 * `Number(id)`, would be optimized away.)
 */
export function randomUUID(): string {
  return uuid().toLowerCase();
}
