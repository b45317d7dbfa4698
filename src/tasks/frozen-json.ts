import { MAX_JSON_DEPTH, tooDeep } from "./json-size.js";

/**
 * A deeply frozen copy of `value` as a JSON round trip would give it back (`toJSON` honoured;
 * `undefined`, functions and symbols left out of objects and `null` in arrays; non-finite numbers
 * `null`), made without serialising: objects and arrays are copied, strings are shared. Strings
 * are immutable, so sharing them is safe, and a 1 MB result text held both by the store and by
 * the handler's own value (for in-process `awaitTask`) costs its bytes once; `structuredClone`
 * would copy every string.
 * @throws {RangeError} for a value nested deeper than {@link MAX_JSON_DEPTH} (e.g. a cyclic one).
 */
export function frozenJsonCopy<T>(value: T): T {
  return copy(value, 0) as T;
}

function copy(value: unknown, depth: number): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_JSON_DEPTH) throw tooDeep();
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return copy(toJSON.call(value, ""), depth);
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      items[i] = omitted(item) ? null : copy(item, depth + 1);
    }
    return Object.freeze(items);
  }
  const members: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (omitted(member)) continue;
    if (key === "__proto__") {
      // Assigning would set the prototype; JSON.parse makes an own property, and so do we.
      Object.defineProperty(members, key, {
        value: copy(member, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      members[key] = copy(member, depth + 1);
    }
  }
  return Object.freeze(members);
}

function omitted(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}
