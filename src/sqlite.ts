/**
 * fastestmcp/sqlite: a durable `TaskStore` on SQLite. It needs the optional peer dependency
 * better-sqlite3 (`npm install better-sqlite3`), which is loaded only when a store opens.
 *
 * ```ts
 * import { SqliteTaskStore } from "fastestmcp/sqlite";
 * const server = FastestMCP.server("jobs", { tasks: { store: new SqliteTaskStore({ path: "tasks.db" }) } });
 * ```
 */

export type { SqliteTaskStoreOptions } from "./sqlite/sqlite-options.js";
export { SCHEMA_VERSION as SQLITE_SCHEMA_VERSION } from "./sqlite/sqlite-schema.js";
export type { SqliteWriteStats } from "./sqlite/sqlite-task-store.js";
export { SqliteTaskStore } from "./sqlite/sqlite-task-store.js";
