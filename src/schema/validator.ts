/** One failing rule in a value, with where it is. */
export interface ValidationIssue {
  /** Path to the failing value, e.g. `["items", 0, "name"]`; empty for the value itself. */
  path: ReadonlyArray<string | number>;
  message: string;
}

/** The outcome of validating a value. `value` may differ from the input (defaults, transforms). */
export type ValidationResult<T = unknown> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** A validator compiled once, at registration. Standard Schema validators may be asynchronous. */
export type Validator<T = unknown> = (value: unknown) => ValidationResult<T> | Promise<ValidationResult<T>>;

/** Renders issues as `field: message; other.field: message` for error texts. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`))
    .join("; ");
}
