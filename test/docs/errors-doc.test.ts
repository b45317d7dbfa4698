import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import type { ProgressErrorReason } from "../../src/context/progress-error.js";
import { FastestMcpErrorCode } from "../../src/errors.js";
import { ErrorCode } from "../../src/protocol/error-codes.js";
import {
  InternalError,
  InvalidParamsError,
  InvalidRequestError,
  MethodNotFoundError,
  ParseError,
  RequestTimeoutError,
  ToolNotFoundError,
} from "../../src/protocol/protocol-error.js";
import { TASK_LIMIT_ERROR_CODE } from "../../src/tasks/task-errors.js";
import { sourceFiles } from "../source-files.js";

const ROOT = join(import.meta.dirname, "..", "..");
const errorsDoc = readFileSync(join(ROOT, "docs", "errors.md"), "utf8");

/** True when `text` appears in the page as inline code, e.g. `FMCP_ERR_CANCELLED` or `-32602`. */
function documents(text: string | number): boolean {
  return errorsDoc.includes(`\`${text}\``);
}

// `satisfies` makes the compiler fail here when a reason is added to ProgressErrorReason.
const PROGRESS_REASONS = Object.keys({
  "progress-not-increasing": true,
  "progress-invalid-number": true,
  "progress-invalid-message": true,
  "progress-exceeds-total": true,
  "progress-after-completion": true,
} satisfies Record<ProgressErrorReason, true>);

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
 * Every reason src/ gives an error, with the first file that gives it: a reason-shaped string
 * literal passed to `new …Error(…)` or `super(…)`, assigned to a `reason` property, or used as the
 * default of a `reason` parameter.
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
      } else if (
        (ts.isPropertyAssignment(node) || ts.isParameter(node)) &&
        node.name.getText(source) === "reason" &&
        node.initializer !== undefined
      ) {
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

  it("lists every JSON-RPC error number in ErrorCode, and the task limit code", () => {
    const missing = [...Object.values(ErrorCode), TASK_LIMIT_ERROR_CODE].filter((code) => !documents(code));
    expect(missing).toEqual([]);
  });

  it("lists the default reason of every ProtocolError class", () => {
    const reasons = [
      new ParseError("x").reason,
      new InvalidRequestError("x").reason,
      new MethodNotFoundError("x").reason,
      new InvalidParamsError("x").reason,
      new ToolNotFoundError("x").reason,
      new InternalError("x").reason,
      new RequestTimeoutError("x", 1).reason,
    ];
    expect(reasons.filter((reason) => !documents(reason))).toEqual([]);
  });

  it("lists every ProgressErrorReason", () => {
    expect(PROGRESS_REASONS.filter((reason) => !documents(reason))).toEqual([]);
  });

  it("lists every reason that src/ gives an error", () => {
    const reasons = reasonsInSource();
    // Guards the scan itself: if it stopped matching, the parity check below would pass vacuously.
    expect(PROGRESS_REASONS.filter((reason) => !reasons.has(reason))).toEqual([]);
    const missing = [...reasons]
      .filter(([reason]) => !documents(reason))
      .map(([r, file]) => `${r} (${file})`);
    expect(missing).toEqual([]);
  });
});
