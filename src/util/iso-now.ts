let lastMs = -1;
let lastIso = "";

/**
 * The current time as ISO 8601, formatted at most once per millisecond: progress snapshots and
 * log entries are stamped at high rates, and formatting a date costs more than the rest of a
 * delivery.
 */
export function isoNow(): string {
  return isoAt(Date.now());
}

/**
 * `ms` (epoch milliseconds) as ISO 8601, sharing {@link isoNow}'s string for the same
 * millisecond: thousands of tasks created in one burst keep one timestamp string, not one each.
 */
export function isoAt(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
