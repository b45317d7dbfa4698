import type { TaskPatch, TaskRecord } from "../tasks/task-record.js";
import type { NewTaskRecord } from "../tasks/task-store.js";

/** A row of `tasks` as the store reads it. */
export interface TaskRow {
  seq: number;
  task_id: string;
  owner: string;
  record: string;
}

/** The stored JSON of a record: everything but `seq`, which is the row's own column. */
export function recordJson(record: NewTaskRecord | TaskRecord): string {
  const { seq: _seq, ...rest } = record as TaskRecord;
  return JSON.stringify(rest);
}

/** The record a row holds. */
export function rowRecord(row: TaskRow): TaskRecord {
  const record = JSON.parse(row.record) as TaskRecord;
  record.seq = row.seq;
  return record;
}

/** `record` with `patch` applied, as JSON would keep it (a member set to `undefined` is gone). */
export function patched(record: TaskRecord, patch: TaskPatch): TaskRecord {
  const next = { ...record } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return JSON.parse(JSON.stringify(next)) as TaskRecord;
}
