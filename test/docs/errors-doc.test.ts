import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { FastestMcpErrorCode } from "../../src/errors.js";
import { ErrorCode } from "../../src/protocol/error-codes.js";
import { WIRE_ERRORS } from "../../src/protocol/error-reasons.js";
import { sourceFiles } from "../source-files.js";

const ROOT = join(import.meta.dirname, "..", "..");
const errorsDoc = readFileSync(join(ROOT, "docs", "errors.md"), "utf8");

/** True when `text` appears in the page as inline code, e.g. `FMCP_ERR_CANCELLED` or `-32602`. */
function documents(text: string | number): boolean {
  return errorsDoc.includes(`\`${text}\``);
}

/** The page's reason table as `reason code http` lines, in its order (group rows skipped). */
function documentedReasons(): string[] {
  const section = errorsDoc.slice(errorsDoc.indexOf("### Every `reason`"));
  const table = section.slice(0, section.indexOf("\n\n", section.indexOf("| `reason`")));
  return table
    .split("\n")
    .map((line) => line.split("|").map((cell) => cell.trim()))
    .filter(([, reason]) => reason !== undefined && /^`[a-z-]+`$/.test(reason) && reason !== "`reason`")
    .map(([, reason, code, http]) => {
      const number = (cell = "") => cell.match(/`(-?\d+)`/)?.[1] ?? "-";
      return `${reason?.slice(1, -1)} ${number(code)} ${number(http)}`;
    });
}

/** How reasons look: kebab-case words, e.g. `tool-not-found` or `forbidden`. */
const REASON = /^[a-z]+(?:-[a-z]+)*$/;

/** String literals in `node`, looking through `a ? "x" : "y"`. */
function literalsIn(node: ts.Expression): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isConditionalExpression(node)) return [...literalsIn(node.whenTrue), ...literalsIn(node.whenFalse)];
  if (ts.isParenthesizedExpression(node)) return literalsIn(node.expression);
  return [];
}

/**
 * Every reason-shaped literal src/ gives an error, with the first file that gives it: one passed
 * to `new …Error(…)` or `super(…)`, or assigned to a `reason` property (a wire form written out).
 * The compiler checks the typed constructors; this catches what it cannot, e.g. `data: { reason }`.
 */
function reasonsInSource(): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const file of sourceFiles(join(ROOT, "src"))) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && node.expression.getText(source).endsWith("Error")) {
        for (const argument of node.arguments ?? []) found.push(...literalsIn(argument));
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        for (const argument of node.arguments) found.push(...literalsIn(argument));
      } else if (ts.isPropertyAssignment(node) && node.name.getText(source) === "reason") {
        found.push(...literalsIn(node.initializer));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const reason of found) {
      if (REASON.test(reason) && !reasons.has(reason)) reasons.set(reason, relative(ROOT, file));
    }
  }
  return reasons;
}

describe("docs/errors.md", () => {
  it("lists every FastestMcpErrorCode key", () => {
    const missing = Object.keys(FastestMcpErrorCode).filter((code) => !documents(code));
    expect(missing).toEqual([]);
  });

  it("lists every JSON-RPC error number in ErrorCode", () => {
    const missing = Object.values(ErrorCode).filter((code) => !documents(code));
    expect(missing).toEqual([]);
  });

  it("lists the reason table row by row: same reasons, order, codes and HTTP statuses", () => {
    const table = Object.entries(WIRE_ERRORS).map(
      ([reason, spec]) => `${reason} ${spec.code} ${"http" in spec ? spec.http : "-"}`,
    );
    expect(documentedReasons()).toEqual(table);
  });
});

describe("the wire reason table", () => {
  it("has every reason-shaped literal that src/ gives an error", () => {
    const reasons = reasonsInSource();
    // Guards the scan itself: if it stopped matching, the check below would pass vacuously.
    expect(reasons.has("duplicate-request-id") && reasons.has("task-cancelled")).toBe(true);
    const missing = [...reasons]
      .filter(([reason]) => !Object.hasOwn(WIRE_ERRORS, reason))
      .map(([reason, file]) => `${reason} (${file})`);
    expect(missing).toEqual([]);
  });

  it("gives each reason a code of ErrorCode and kebab-case words", () => {
    const codes: number[] = Object.values(ErrorCode);
    const odd = Object.entries(WIRE_ERRORS)
      .filter(([reason, spec]) => !REASON.test(reason) || !codes.includes(spec.code))
      .map(([reason]) => reason);
    expect(odd).toEqual([]);
  });
});
