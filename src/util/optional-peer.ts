import { FastestMcpError } from "../errors.js";
import { getBuiltinModule } from "./node-builtin.js";

/** A CommonJS `require`, as `node:module`'s `createRequire` makes one (tests pass their own). */
export type Require = (id: string) => unknown;

/** Which optional peer dependency to load, for whom, and what to tell a user whose copy is broken. */
export interface OptionalPeer {
  /** The npm package, e.g. `"ioredis"`. */
  name: string;
  /** Who needs it, for the messages, e.g. `"RedisTaskStore"`. */
  neededBy: string;
  /** What to run when it is installed but does not load (e.g. built for another Node version). */
  repair: string;
}

/**
 * An optional peer dependency (better-sqlite3, ioredis), required the moment a feature needs it
 * and never before, so neither the core nor the subpath that offers the feature needs it
 * installed. `require` comes from node:module then (see node-builtin.ts); both packages are
 * CommonJS. Answers the module's default export when it has one.
 * @throws {FastestMcpError} `FMCP_ERR_STORE_DRIVER_MISSING` when the package is not installed or
 * does not load; `FMCP_ERR_RUNTIME_UNSUPPORTED` without Node's `require`.
 */
export function loadOptionalPeer(peer: OptionalPeer, require?: Require): unknown {
  const load = require ?? nodeRequire(peer);
  let loaded: unknown;
  try {
    loaded = load(peer.name);
  } catch (error) {
    const missing = (error as { code?: unknown }).code === "MODULE_NOT_FOUND";
    throw new FastestMcpError(
      "FMCP_ERR_STORE_DRIVER_MISSING",
      missing
        ? `${peer.neededBy} needs the ${peer.name} package (an optional peer dependency of fastestmcp): npm install ${peer.name}`
        : `${peer.name} is installed but does not load (${String((error as Error).message)}): ${peer.repair}.`,
      { cause: error },
    );
  }
  return (loaded as { default?: unknown }).default ?? loaded;
}

function nodeRequire(peer: OptionalPeer): Require {
  const module = getBuiltinModule?.("node:module");
  if (module === undefined) {
    throw new FastestMcpError(
      "FMCP_ERR_RUNTIME_UNSUPPORTED",
      `${peer.neededBy} needs Node's require (Node >= 20.16, Bun or Deno) to load ${peer.name}.`,
    );
  }
  return module.createRequire(import.meta.url);
}
