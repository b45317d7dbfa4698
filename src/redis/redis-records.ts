import type { TaskPatch, TaskRecord } from "../tasks/task-record.js";
import type { NewTaskRecord } from "../tasks/task-store.js";

/**
 * How a record maps onto its Redis hash (see redis-scripts.ts): the fields an update may change
 * each have a hash field of their own (`f:<name>`, JSON), the rest is one JSON text (`base`), and
 * `seq` is a field of its own. Lua never parses JSON (its cjson cannot tell `[]` from `{}` and
 * rounds numbers): a patch is a set of hash fields, merged by HSET.
 */
const PATCHABLE: ReadonlySet<string> = new Set<keyof TaskPatch>([
  "status",
  "statusMessage",
  "lastUpdatedAt",
  "progress",
  "result",
  "error",
  "inputRequests",
]);

/** The `base` JSON and the patchable fields of a new record, as (field, JSON) pairs. */
export function newRecordFields(record: NewTaskRecord): { base: string; fields: string[] } {
  const base: Record<string, unknown> = {};
  const fields: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (key === "seq" || value === undefined) continue;
    if (PATCHABLE.has(key)) fields.push(`f:${key}`, JSON.stringify(value));
    else base[key] = value;
  }
  return { base: JSON.stringify(base), fields };
}

/**
 * A patch as (field, JSON) pairs for the scripts: a member set to `undefined` becomes an empty
 * value, which deletes the field (JSON text is never empty), as JSON would drop it.
 */
export function patchFields(patch: TaskPatch): string[] {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (!PATCHABLE.has(key)) continue;
    fields.push(`f:${key}`, value === undefined ? "" : JSON.stringify(value));
  }
  return fields;
}

/** A flat `[field, value, …]` reply (HGETALL inside a script) as an object. */
export function hashOf(flat: readonly string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string;
  return hash;
}

/** The record a task hash holds; `undefined` for an empty hash (no such task). */
export function hashRecord(hash: Record<string, string>): TaskRecord | undefined {
  if (hash.base === undefined || hash.seq === undefined) return undefined;
  const record = JSON.parse(hash.base) as Record<string, unknown>;
  // for…in, not Object.entries: no pair array per field of every record read.
  for (const field in hash) {
    if (field.startsWith("f:")) record[field.slice(2)] = JSON.parse(hash[field] as string);
  }
  record.seq = Number(hash.seq);
  return record as unknown as TaskRecord;
}

/** The record a new task's `base` JSON and field pairs (from {@link newRecordFields}) make, with its `seq`. */
export function storedRecord(base: string, fields: readonly string[], seq: number): TaskRecord {
  const record = JSON.parse(base) as Record<string, unknown>;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    record[(fields[i] as string).slice(2)] = JSON.parse(fields[i + 1] as string);
  }
  record.seq = seq;
  return record as unknown as TaskRecord;
}
