/**
 * `value` as JSON with every object's keys sorted: the same text for the same data whatever order
 * its keys were written in (a client may re-serialize a retried request's arguments). Values JSON
 * drops (`undefined`, functions) are dropped as `JSON.stringify` drops them.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}
