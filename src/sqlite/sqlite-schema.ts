import { FastestMcpError } from "../errors.js";
import type { SqliteDatabase } from "./sqlite-driver.js";

/**
 * The schema, one migration per version: migration `i` takes a database from `user_version` `i`
 * to `i + 1`. Never edit a released migration; append one. Every statement is fixed text (no
 * values are ever spliced into SQL: those are bound parameters, in sqlite-statements.ts).
 */
const MIGRATIONS: readonly string[] = [
  `
  -- A task: the columns the store queries, and the record itself as JSON (plain JSON by contract).
  CREATE TABLE tasks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- creation order, never reused: list cursors
    task_id TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    terminal INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER,                      -- epoch ms; NULL: kept until deleted
    finish_seq INTEGER,                      -- order of becoming terminal: eviction, finishedSince
    result_bytes INTEGER NOT NULL DEFAULT 0, -- what the owner is charged once terminal
    runner TEXT,                             -- the process (runners.runner) that runs it
    record TEXT NOT NULL
  );
  -- Few indexes on purpose: every one is written by every insert. Counts live in owners (below);
  -- the orphan scan after a crash reads the table without one (it is rare).
  CREATE INDEX tasks_by_owner ON tasks (owner, seq);
  CREATE INDEX tasks_finished_by_owner ON tasks (owner, finish_seq) WHERE terminal = 1;
  CREATE INDEX tasks_by_finish ON tasks (finish_seq) WHERE terminal = 1;
  CREATE INDEX tasks_by_expiry ON tasks (expires_at) WHERE expires_at IS NOT NULL;
  -- A process with the store open: its heartbeat says it is alive (see runner-lease.ts).
  CREATE TABLE runners (
    runner TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
  -- Counters that must never go back, even when rows are deleted.
  CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  INSERT INTO counters (name, value) VALUES ('finish_seq', 0);
  -- What each owner keeps, kept exact by triggers on every insert, finish and delete: admission
  -- and the result budget then cost one row read, not a count over all the owner's tasks.
  CREATE TABLE owners (
    owner TEXT PRIMARY KEY,
    tasks INTEGER NOT NULL DEFAULT 0,
    unfinished INTEGER NOT NULL DEFAULT 0,
    result_bytes INTEGER NOT NULL DEFAULT 0
  );
  CREATE TRIGGER tasks_inserted AFTER INSERT ON tasks BEGIN
    INSERT INTO owners (owner, tasks, unfinished, result_bytes)
      VALUES (new.owner, 1, 1 - new.terminal, CASE WHEN new.terminal = 1 THEN new.result_bytes ELSE 0 END)
      ON CONFLICT (owner) DO UPDATE SET tasks = tasks + 1, unfinished = unfinished + 1 - new.terminal,
        result_bytes = result_bytes + (CASE WHEN new.terminal = 1 THEN new.result_bytes ELSE 0 END);
  END;
  CREATE TRIGGER tasks_finished AFTER UPDATE OF terminal, result_bytes ON tasks BEGIN
    UPDATE owners SET
      unfinished = unfinished + old.terminal - new.terminal,
      result_bytes = result_bytes - (CASE WHEN old.terminal = 1 THEN old.result_bytes ELSE 0 END)
        + (CASE WHEN new.terminal = 1 THEN new.result_bytes ELSE 0 END)
    WHERE owner = new.owner;
  END;
  CREATE TRIGGER tasks_deleted AFTER DELETE ON tasks BEGIN
    UPDATE owners SET tasks = tasks - 1, unfinished = unfinished - 1 + old.terminal,
      result_bytes = result_bytes - (CASE WHEN old.terminal = 1 THEN old.result_bytes ELSE 0 END)
    WHERE owner = old.owner;
    DELETE FROM owners WHERE owner = old.owner AND tasks = 0;
  END;
  `,
];

/** The schema version this code writes (`PRAGMA user_version`). */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to {@link SCHEMA_VERSION}, in one write transaction (two processes opening
 * a new file at once migrate it once). A database already there is only read.
 * @throws {FastestMcpError} `FMCP_ERR_STORE_SCHEMA_NEWER` for a file a newer version migrated.
 */
export function migrate(db: SqliteDatabase, path: string): void {
  const version = () => db.pragma("user_version", { simple: true }) as number;
  if (version() === SCHEMA_VERSION) return;
  db.transaction(() => {
    const from = version();
    if (from > SCHEMA_VERSION) {
      throw new FastestMcpError(
        "FMCP_ERR_STORE_SCHEMA_NEWER",
        `The task store ${JSON.stringify(path)} has schema version ${from}, newer than the ${SCHEMA_VERSION} ` +
          "this version of fastestmcp knows: upgrade fastestmcp, or use another file.",
      );
    }
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string);
    // user_version takes no bound parameter; SCHEMA_VERSION is a constant of this module.
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
