let cached: string | undefined;

/**
 * This package's version, from its package.json: two levels up from this file both in `src/cli`
 * and in `dist/cli`.
 */
export function cliVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const text = process
      .getBuiltinModule("node:fs")
      .readFileSync(new URL("../../package.json", import.meta.url), "utf8");
    cached = String((JSON.parse(text) as { version?: unknown }).version ?? "0.0.0");
  } catch {
    cached = "0.0.0";
  }
  return cached;
}
