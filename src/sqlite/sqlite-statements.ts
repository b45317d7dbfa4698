import type { SqliteDatabase, SqliteStatement } from "./sqlite-driver.js";

/**
 * Every statement the store runs, prepared once per connection. Values are always bound
 * parameters (`?`): task ids, owners and records never become SQL text.
 */
const SQL = {
  insert: "INSERT INTO tasks (task_id, owner, expires_at, runner, record) VALUES (?, ?, ?, ?, ?)",
  get: "SELECT seq, task_id, owner, record FROM tasks WHERE task_id = ?",
  getUnfinished: "SELECT seq, task_id, owner, record FROM tasks WHERE task_id = ? AND terminal = 0",
  updateRecord: "UPDATE tasks SET record = ? WHERE task_id = ? AND terminal = 0",
  // Progress is merged by SQLite, one statement per task and no read first: the hot path.
  updateProgress:
    "UPDATE tasks SET record = json_set(record, '$.progress', json(?), '$.lastUpdatedAt', ?, '$.statusMessage', ?) " +
    "WHERE task_id = ? AND terminal = 0 RETURNING seq, task_id, owner, record",
  // The batched progress writes: the same merge, without a record to send back.
  storeProgress:
    "UPDATE tasks SET record = json_set(record, '$.progress', json(?), '$.lastUpdatedAt', ?) " +
    "WHERE task_id = ? AND terminal = 0",
  storeProgressAndMessage:
    "UPDATE tasks SET record = json_set(record, '$.progress', json(?), '$.lastUpdatedAt', ?, '$.statusMessage', ?) " +
    "WHERE task_id = ? AND terminal = 0",
  finishRecord:
    "UPDATE tasks SET record = ?, terminal = 1, finish_seq = ?, result_bytes = ? WHERE task_id = ? AND terminal = 0",
  nextFinish: "UPDATE counters SET value = value + 1 WHERE name = 'finish_seq' RETURNING value",
  finishCounter: "SELECT value FROM counters WHERE name = 'finish_seq'",
  finishedBetween:
    "SELECT task_id FROM tasks WHERE terminal = 1 AND finish_seq > ? AND finish_seq <= ? ORDER BY finish_seq",
  list: "SELECT seq, task_id, owner, record FROM tasks WHERE owner = ? AND seq > ? ORDER BY seq LIMIT ?",
  usage: "SELECT tasks, unfinished, result_bytes AS bytes FROM owners WHERE owner = ?",
  oldestFinished: "SELECT task_id FROM tasks WHERE owner = ? AND terminal = 1 ORDER BY finish_seq LIMIT ?",
  oldestFinishedExcept:
    "SELECT task_id, result_bytes FROM tasks WHERE owner = ? AND terminal = 1 AND task_id <> ? ORDER BY finish_seq LIMIT 1",
  deleteTask: "DELETE FROM tasks WHERE task_id = ?",
  expired: "SELECT task_id FROM tasks WHERE expires_at IS NOT NULL AND expires_at <= ?",
  deleteExpired: "DELETE FROM tasks WHERE expires_at IS NOT NULL AND expires_at <= ?",
  orphans:
    "SELECT seq, task_id, owner, record FROM tasks WHERE terminal = 0 " +
    "AND (runner IS NULL OR runner NOT IN (SELECT runner FROM runners))",
} as const;

/** The prepared statements, by name. */
export type Statements = Record<keyof typeof SQL, SqliteStatement>;

export function prepareStatements(db: SqliteDatabase): Statements {
  const statements = {} as Statements;
  for (const [name, sql] of Object.entries(SQL)) statements[name as keyof typeof SQL] = db.prepare(sql);
  return statements;
}
