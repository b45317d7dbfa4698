/**
 * How deep task results may nest. Far beyond any real result (messages in are capped much lower),
 * it turns a cyclic value into a clear error instead of a stack overflow.
 */
export const MAX_JSON_DEPTH = 1000;

/** Thrown for a value nested deeper than {@link MAX_JSON_DEPTH}: it is cyclic or absurdly deep. */
export function tooDeep(): RangeError {
  return new RangeError(`A task result nests deeper than ${MAX_JSON_DEPTH} levels (or refers to itself).`);
}

/**
 * The length of `value`'s JSON text in UTF-16 code units, not counting escape sequences (a
 * string counts as its length plus two quotes). This is how much a stored task result weighs
 * against the per-owner budget: deterministic, and measured in one walk whose cost grows with the
 * number of values, not with their bytes (a 1 MB string costs as much as a short one), unlike
 * `JSON.stringify`, which would copy the whole text only to count it.
 *
 * Follows `JSON.stringify`: `toJSON` is honoured, object members that are `undefined`, functions
 * or symbols are left out, and array items of those kinds count as `null`.
 * @throws {RangeError} for a value nested deeper than {@link MAX_JSON_DEPTH} (e.g. a cyclic one).
 */
export function jsonSize(value: unknown, depth = 0): number {
  switch (typeof value) {
    case "string":
      return value.length + 2;
    case "number":
      return Number.isFinite(value) ? String(value).length : 4;
    case "boolean":
      return value ? 4 : 5;
    case "bigint":
      return String(value).length;
    case "object":
      return value === null ? 4 : objectSize(value, depth + 1);
    default:
      // undefined, functions and symbols: no JSON text of their own.
      return 0;
  }
}

function objectSize(value: object, depth: number): number {
  if (depth > MAX_JSON_DEPTH) throw tooDeep();
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return jsonSize(toJSON.call(value, ""), depth);
  if (Array.isArray(value)) {
    // Brackets, plus a comma between items.
    let size = value.length === 0 ? 2 : value.length + 1;
    for (const item of value) size += omitted(item) ? 4 : jsonSize(item, depth);
    return size;
  }
  let size = 2;
  let members = 0;
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (omitted(member)) continue;
    // "key": plus the value, with a comma before every member but the first.
    size += key.length + 3 + jsonSize(member, depth) + (members === 0 ? 0 : 1);
    members++;
  }
  return size;
}

function omitted(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}
