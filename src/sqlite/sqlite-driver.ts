import { loadOptionalPeer, type Require } from "../util/optional-peer.js";

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
  const resolved = loadOptionalPeer(
    {
      name: "better-sqlite3",
      neededBy: "SqliteTaskStore",
      repair: "npm rebuild better-sqlite3, or npm install better-sqlite3 again",
    },
    require,
  ) as SqliteDriver;
  if (require === undefined) cached = resolved;
  return resolved;
}
