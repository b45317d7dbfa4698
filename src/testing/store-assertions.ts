/**
 * The few assertions the store behaviour suite needs, so it runs under any test runner (vitest,
 * jest, node:test, mocha): a failure is a thrown `Error` whose message says what differed.
 */

/** JSON text with object keys sorted: equal for equal JSON values, whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) => {
    if (member === null || typeof member !== "object" || Array.isArray(member)) return member;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(member).sort()) sorted[key] = (member as Record<string, unknown>)[key];
    return sorted;
  });
}

function shorten(text: string | undefined): string {
  if (text === undefined) return "undefined";
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

/** Throws unless `condition` holds. */
export function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`TaskStore behaviour violated: ${what}`);
}

/** Throws unless `actual` and `expected` are the same JSON value (key order aside). */
export function same(actual: unknown, expected: unknown, what: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) {
    throw new Error(
      `TaskStore behaviour violated: ${what}\n  expected: ${shorten(e)}\n  actual:   ${shorten(a)}`,
    );
  }
}

/** The rejection of `promise`; throws when it resolves. */
export async function rejectionOf(promise: Promise<unknown>, what: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`TaskStore behaviour violated: ${what} (it resolved instead of rejecting)`);
}
