let lastMs = -1;
let lastIso = "";

/**
 * The current time as ISO 8601, formatted at most once per millisecond: progress snapshots and
 * log entries are stamped at high rates, and formatting a date costs more than the rest of a
 * delivery.
 */
export function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
