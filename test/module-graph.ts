import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

/** What one source file loads at run time and which Node globals it names. */
export interface ModuleFacts {
  /** Specifiers of runtime imports: static ones (not `import type`), re-exports, and `import("…")`. */
  imports: string[];
  /** Node-only globals used as values (`Buffer`, `process`, …), not reached through `globalThis`. */
  nodeGlobals: string[];
}

const NODE_GLOBALS = new Set([
  "Buffer",
  "process",
  "setImmediate",
  "clearImmediate",
  "require",
  "module",
  "global",
  "__dirname",
  "__filename",
]);

/** True when `node` is a name that is not a variable: `x.name`, `{ name: … }`, `name?: T`. */
function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) {
    return (ts.isPropertyAccessExpression(parent) ? parent.name : parent.right) === node;
  }
  return (
    (ts.isPropertySignature(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent)) &&
    parent.name === node
  );
}

/** True inside a type (`NodeJS.Process["getBuiltinModule"]`): erased, never run. */
function inType(node: ts.Node): boolean {
  for (let at: ts.Node | undefined = node.parent; at !== undefined; at = at.parent) {
    if (ts.isTypeNode(at)) return true;
    if (ts.isStatement(at) || ts.isExpression(at)) return false;
  }
  return false;
}

/** Reads `file` and lists its runtime imports and Node globals (with TypeScript's own parser). */
export function moduleFacts(file: string): ModuleFacts {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const facts: ModuleFacts = { imports: [], nodeGlobals: [] };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      // `import { type A } from "m"` still loads "m" under verbatimModuleSyntax: it counts.
      facts.imports.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && !node.isTypeOnly) {
      facts.imports.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      facts.imports.push(node.arguments[0].text);
    } else if (
      ts.isIdentifier(node) &&
      NODE_GLOBALS.has(node.text) &&
      !isPropertyName(node) &&
      !inType(node)
    ) {
      facts.nodeGlobals.push(
        `${node.text} (line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1})`,
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}

/**
 * Every source file that loading `entry` may load (static and dynamic imports, followed the way a
 * bundler does), with its facts; bare specifiers (`node:http`, `ajv`) are listed, not followed.
 */
export function moduleGraph(entry: string): Map<string, ModuleFacts> {
  const graph = new Map<string, ModuleFacts>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (graph.has(file)) continue;
    const facts = moduleFacts(file);
    graph.set(file, facts);
    for (const spec of facts.imports) {
      if (spec.startsWith(".")) pending.push(join(dirname(file), spec).replace(/\.js$/, ".ts"));
    }
  }
  return graph;
}
