import { FastestMcpError } from "../errors.js";
import { getBuiltinModule } from "../util/node-builtin.js";

/** What the store uses of a prepared statement (better-sqlite3's `Statement`). */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** What the store uses of a connection (better-sqlite3's `Database`). */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  exec(source: string): unknown;
  transaction<F extends (...args: never[]) => unknown>(fn: F): F & { immediate: F };
  close(): unknown;
}

/** better-sqlite3's `Database` constructor. */
export type SqliteDriver = new (path: string, options?: { timeout?: number }) => SqliteDatabase;

type Require = (id: string) => unknown;

let cached: SqliteDriver | undefined;

/**
 * better-sqlite3, required the moment a store opens and never before: the package is an optional
 * peer dependency, so the core (and a user who never opens a SQLite store) needs no native build.
 * `require` is taken from node:module then (see src/util/node-builtin.ts), so nothing imports
 * it statically.
 * @throws {FastestMcpError} `FMCP_ERR_STORE_DRIVER_MISSING` when the package is not installed or
 * cannot load (e.g. built for another Node version); `FMCP_ERR_RUNTIME_UNSUPPORTED` without Node's
 * `require`.
 */
export function loadSqliteDriver(require?: Require): SqliteDriver {
  if (require === undefined && cached !== undefined) return cached;
  const load = require ?? nodeRequire();
  let driver: unknown;
  try {
    driver = load("better-sqlite3");
  } catch (error) {
    const missing = (error as { code?: unknown }).code === "MODULE_NOT_FOUND";
    throw new FastestMcpError(
      "FMCP_ERR_STORE_DRIVER_MISSING",
      missing
        ? "SqliteTaskStore needs the better-sqlite3 package (an optional peer dependency of fastestmcp): npm install better-sqlite3"
        : `better-sqlite3 is installed but does not load (${String((error as Error).message)}): npm rebuild better-sqlite3, or npm install better-sqlite3 again.`,
      { cause: error },
    );
  }
  const resolved = ((driver as { default?: unknown }).default ?? driver) as SqliteDriver;
  if (require === undefined) cached = resolved;
  return resolved;
}

function nodeRequire(): Require {
  const module = getBuiltinModule?.("node:module");
  if (module === undefined) {
    throw new FastestMcpError(
      "FMCP_ERR_RUNTIME_UNSUPPORTED",
      "SqliteTaskStore needs Node's require (Node >= 20.16, Bun or Deno) to load better-sqlite3.",
    );
  }
  return module.createRequire(import.meta.url);
}
