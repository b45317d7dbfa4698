/** Markdown output: tables and number formatting shared by every scenario. */

/** A Markdown table; the first column is left-aligned, the others right-aligned. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = headers.map((_, index) => (index === 0 ? "---" : "---:"));
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  return [line(headers), line(align), ...rows.map(line)].join("\n");
}

const isNumber = (value: number | undefined): value is number =>
  value !== undefined && Number.isFinite(value);

/** An integer with thousands separators, or "n/a". */
export function formatCount(value: number | undefined): string {
  return isNumber(value) ? Math.round(value).toLocaleString("en") : "n/a";
}

/** A number with fixed decimals, or "n/a". */
export function formatFixed(value: number | undefined, digits = 1): string {
  return isNumber(value) ? value.toFixed(digits) : "n/a";
}

/** Bytes as MiB. */
export function formatMiB(bytes: number | undefined): string {
  return isNumber(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : "n/a";
}

/** `ours / theirs` as e.g. "3.25×" (or "n/a" when either side is missing or zero). */
export function formatRatio(ours: number | undefined, theirs: number | undefined): string {
  const ratio = ratioOf(ours, theirs);
  return isNumber(ratio) ? `${ratio.toFixed(2)}×` : "n/a";
}

export function ratioOf(ours: number | undefined, theirs: number | undefined): number | undefined {
  return isNumber(ours) && isNumber(theirs) && theirs !== 0 ? ours / theirs : undefined;
}
